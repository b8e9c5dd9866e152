/**
 * What the ICE-versus-RSE comparison plots on its RSE axis, said in both reports: the overall similarity
 * to each RSE result's primary (first) reference. With several references (a target checked against
 * three possible teachers) that number alone reads as "not similar" when the target is nearest another
 * reference, so the reports name the reference and say where the others are.
 */
export const primaryReferenceNote =
  "RSE overall here is the similarity to each target's primary (first) reference only; the RSE table above has every reference, and a target may be nearer another one.";
