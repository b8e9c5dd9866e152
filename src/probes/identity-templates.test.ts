import assert from "node:assert/strict";
import { test } from "node:test";
import { developersNamedIn } from "../identity/registry.ts";
import {
  fillQuery,
  fillVendorSlots,
  identityTemplates,
  productSlot,
  querySlot,
  templateStrategies,
  vendorSlot,
} from "./identity-templates.ts";

test("at least 30 templates, several per strategy, and Chinese forms of every strategy", () => {
  assert.ok(identityTemplates.filter((template) => template.language === "en").length >= 30);
  for (const strategy of templateStrategies) {
    const chinese = identityTemplates.filter(
      (template) => template.strategy === strategy && template.language === "zh",
    );
    assert.ok(chinese.length >= 2, `${strategy} has ${chinese.length} Chinese templates`);
    for (const template of chinese) assert.match(template.neutral, /[\u4e00-\u9fff]/);
  }
  assert.equal(templateStrategies.length, 7);
  for (const strategy of templateStrategies) {
    const count = identityTemplates.filter((template) => template.strategy === strategy).length;
    assert.ok(count >= 3, `${strategy} has ${count}`);
  }
  const ids = identityTemplates.map((template) => template.id);
  assert.equal(new Set(ids).size, ids.length);
});

test("every form has {query}; counterfactual forms have a vendor slot; neutral forms have none", () => {
  for (const template of identityTemplates) {
    assert.ok(template.neutral.includes(querySlot), template.id);
    assert.ok(template.counterfactual.includes(querySlot), template.id);
    assert.ok(
      template.counterfactual.includes(vendorSlot) || template.counterfactual.includes(productSlot),
      template.id,
    );
    assert.ok(!template.neutral.includes(vendorSlot) && !template.neutral.includes(productSlot), template.id);
  }
});

test("neutral forms name no vendor, per the registry's alias matcher", () => {
  for (const template of identityTemplates) {
    assert.deepEqual([...developersNamedIn(template.neutral)], [], `${template.id} names a vendor`);
  }
});

test("filled counterfactual forms name exactly the chosen vendor", () => {
  for (const template of identityTemplates) {
    const text = fillVendorSlots(template.counterfactual, { vendor: "Anthropic", product: "Claude" });
    assert.deepEqual([...developersNamedIn(text)], ["anthropic"], template.id);
  }
});

test("fillQuery replaces every slot literally and appends with a separator when the slot is gone", () => {
  assert.equal(fillQuery("A {query} B {query}", "$& x"), "A $& x B $& x");
  assert.equal(fillQuery("No slot here.", "Who made you?"), "No slot here.\n\nWho made you?");
});
