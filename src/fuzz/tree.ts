/**
 * The search tree of a fuzzing run: seed templates at level 0, each mutation a child of the node it
 * came from. Nodes carry the statistics the selection policies read (visits, summed reward).
 */
import type { MutatorName } from "./mutator.ts";

export interface FuzzNode {
  /** `seed:<probe id>` for seeds, `node-<n>` for mutations. */
  id: string;
  /** The id of the seed this node descends from (its own id minus the prefix, for a seed). */
  seedId: string;
  parentId: string | null;
  level: number;
  text: string;
  /** How the node was made from its parent; null for seeds. */
  mutator: MutatorName | null;
  children: FuzzNode[];
  /** Times the node lay on a selected path, plus one for a mutation's own evaluation. */
  visits: number;
  /** Reward credited to the node (its own evaluation and its descendants', decayed). */
  rewardSum: number;
  /** Success rate of this node's own queries; null until it is queried (seeds never are). */
  ownReward: number | null;
}

export class FuzzTree {
  readonly seeds: FuzzNode[];
  readonly nodes = new Map<string, FuzzNode>();
  private nextNumber = 0;

  constructor(seeds: ReadonlyArray<{ id: string; text: string }>) {
    if (seeds.length === 0) throw new Error("a search needs at least one seed template");
    this.seeds = seeds.map((seed) => ({
      id: `seed:${seed.id}`,
      seedId: seed.id,
      parentId: null,
      level: 0,
      text: seed.text,
      mutator: null,
      children: [],
      visits: 0,
      rewardSum: 0,
      ownReward: null,
    }));
    for (const seed of this.seeds) this.nodes.set(seed.id, seed);
  }

  /** Adds a mutation of `parent`. */
  addChild(parent: FuzzNode, text: string, mutator: MutatorName): FuzzNode {
    this.nextNumber += 1;
    const child: FuzzNode = {
      id: `node-${this.nextNumber}`,
      seedId: parent.seedId,
      parentId: parent.id,
      level: parent.level + 1,
      text,
      mutator,
      children: [],
      visits: 0,
      rewardSum: 0,
      ownReward: null,
    };
    parent.children.push(child);
    this.nodes.set(child.id, child);
    return child;
  }

  /** The nodes from the seed down to `node`, inclusive. */
  pathTo(node: FuzzNode): FuzzNode[] {
    const path: FuzzNode[] = [];
    let current: FuzzNode | undefined = node;
    while (current !== undefined) {
      path.unshift(current);
      current = current.parentId === null ? undefined : this.nodes.get(current.parentId);
    }
    return path;
  }

  /** Whether some node already has this exact text. */
  hasText(text: string): boolean {
    for (const node of this.nodes.values()) if (node.text === text) return true;
    return false;
  }

  /** Deepest level reached. */
  depth(): number {
    let deepest = 0;
    for (const node of this.nodes.values()) deepest = Math.max(deepest, node.level);
    return deepest;
  }
}
