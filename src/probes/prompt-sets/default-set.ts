/**
 * The built-in RSE prompt set, written for this project so that `rse run` works with no download:
 * coding, math, writing, advice, knowledge and reasoning questions, multi-turn conversations and a
 * few Chinese prompts. Wording is ours; none is taken from a public benchmark.
 */
import type { PromptSet, RsePrompt } from "./types.ts";

type Entry = [id: string, category: string, ...turns: string[]];

const entries: readonly Entry[] = [
  ["code-01", "coding", "Write a Python function that returns the n-th Fibonacci number in O(log n) time."],
  [
    "code-02",
    "coding",
    "Explain the difference between a process and a thread, with a short example in any language.",
  ],
  [
    "code-03",
    "coding",
    "How do I remove duplicate rows from a SQL table while keeping the row with the lowest id?",
  ],
  ["code-04", "coding", "Write a TypeScript function that debounces another function, with types."],
  [
    "code-05",
    "coding",
    "My Git branch is three commits behind main and has two local commits. How do I rebase safely?",
  ],
  ["code-06", "coding", "What is a race condition? Show a small bug that has one and how to fix it."],
  [
    "code-07",
    "coding",
    "Write a bash one-liner that counts the lines of every .py file under a folder and prints the total.",
  ],
  [
    "code-08",
    "coding",
    "Review this JavaScript and point out problems: `for (var i = 0; i < 5; i++) setTimeout(() => console.log(i), 0);`",
  ],
  ["code-09", "coding", "Implement binary search in Go and explain how you avoid integer overflow."],
  ["code-10", "coding", "When should I choose a hash map over a balanced tree map? Give concrete cases."],
  [
    "code-11",
    "coding",
    "Write a regular expression that matches ISO 8601 dates like 2024-03-15 and explain each part.",
  ],
  [
    "code-12",
    "coding",
    "Explain what a memory leak looks like in a garbage-collected language and how to find one.",
  ],
  ["math-01", "math", "Solve for x: 3x + 7 = 2x - 5."],
  ["math-02", "math", "What is the sum of the integers from 1 to 1000? Show the reasoning."],
  ["math-03", "math", "A fair die is rolled twice. What is the probability that the sum is 8?"],
  ["math-04", "math", "Prove that the square root of 2 is irrational."],
  ["math-05", "math", "Find the derivative of f(x) = x^2 * sin(x)."],
  ["math-06", "math", "How many ways can 5 people sit around a round table, counting rotations as the same?"],
  ["math-07", "math", "Compute the integral of 1 / (1 + x^2) from 0 to 1."],
  [
    "math-08",
    "math",
    "A train leaves at 9:00 going 80 km/h; another leaves the same station at 10:00 going 100 km/h on the same track. When does the second catch up?",
  ],
  ["math-09", "math", "Is 221 a prime number? Explain how you check."],
  [
    "math-10",
    "math",
    "Explain what an eigenvector is, and find the eigenvalues of the matrix [[2, 1], [1, 2]].",
  ],
  ["math-11", "math", "The price of a jacket falls by 20% and then rises by 25%. What is the net change?"],
  ["math-12", "math", "Show that the sum of the first n odd numbers is n squared."],
  ["write-01", "writing", "Write a four-line poem about a lighthouse in winter."],
  ["write-02", "writing", "Draft a polite email asking my landlord to fix a leaking kitchen tap."],
  ["write-03", "writing", "Write the opening paragraph of a mystery story set in a train station at night."],
  [
    "write-04",
    "writing",
    "Rewrite this sentence to be clearer: 'The meeting that was scheduled for the time after lunch has been moved due to the fact that people were not available.'",
  ],
  ["write-05", "writing", "Write a short product description for a reusable steel water bottle."],
  ["write-06", "writing", "Summarise the plot of a heist film you invent, in exactly three sentences."],
  ["write-07", "writing", "Write a cover letter paragraph for a junior data analyst position."],
  ["write-08", "writing", "Give me five names for a neighbourhood bakery, each with a one-line reason."],
  ["write-09", "writing", "Write a haiku about debugging code late at night."],
  ["write-10", "writing", "Write a toast for my sister's wedding that is warm but under 150 words."],
  [
    "write-11",
    "writing",
    "Turn these notes into a paragraph: sales up 12%, costs flat, new office in Lyon, hiring freeze lifted.",
  ],
  ["write-12", "writing", "Write a children's story of about 120 words about a snail who wants to fly."],
  ["advice-01", "advice", "How can I get better sleep when I work late shifts?"],
  [
    "advice-02",
    "advice",
    "I have a job interview tomorrow for a project manager role. How should I prepare tonight?",
  ],
  ["advice-03", "advice", "What are good ways to start saving money on a small salary?"],
  ["advice-04", "advice", "How do I tell a friend that they keep interrupting me, without hurting them?"],
  ["advice-05", "advice", "I want to learn to run 5 km. Give me a beginner plan."],
  [
    "advice-06",
    "advice",
    "How should I choose between two job offers, one with more pay and one with more learning?",
  ],
  ["advice-07", "advice", "What should I check before buying a used car?"],
  ["advice-08", "advice", "How can I stay focused when working from home?"],
  ["advice-09", "advice", "My houseplant's leaves are turning yellow. What could be wrong?"],
  ["advice-10", "advice", "How do I prepare for my first marathon week by week in the last month?"],
  ["advice-11", "advice", "What is a sensible way to learn a new language as a busy adult?"],
  ["advice-12", "advice", "How can I give critical feedback to a colleague who is senior to me?"],
  ["know-01", "knowledge", "Why is the sky blue?"],
  ["know-02", "knowledge", "What caused the fall of the Western Roman Empire?"],
  ["know-03", "knowledge", "How do vaccines train the immune system?"],
  ["know-04", "knowledge", "What is the difference between weather and climate?"],
  ["know-05", "knowledge", "Explain how a bill becomes law in a parliamentary system."],
  ["know-06", "knowledge", "What is inflation and why do central banks raise interest rates to fight it?"],
  ["know-07", "knowledge", "How does public-key cryptography work, in simple terms?"],
  ["know-08", "knowledge", "What are black holes and how do we detect them?"],
  ["know-09", "knowledge", "Describe the water cycle."],
  ["know-10", "knowledge", "What was the significance of the printing press in Europe?"],
  ["know-11", "knowledge", "How do noise-cancelling headphones work?"],
  ["know-12", "knowledge", "What is the difference between a virus and a bacterium?"],
  [
    "reason-01",
    "reasoning",
    "If all bloops are razzies and all razzies are lazzies, are all bloops lazzies? Explain.",
  ],
  [
    "reason-02",
    "reasoning",
    "I have two coins that add up to 30 cents and one of them is not a nickel. What are they?",
  ],
  [
    "reason-03",
    "reasoning",
    "A bat and a ball cost 1.10 in total. The bat costs 1.00 more than the ball. How much is the ball?",
  ],
  [
    "reason-04",
    "reasoning",
    "Three boxes are labelled apples, oranges and mixed, and every label is wrong. You may take one fruit from one box. How do you relabel them?",
  ],
  [
    "reason-05",
    "reasoning",
    "Which weighs more: a kilogram of feathers or a kilogram of iron? Why do people get this wrong?",
  ],
  [
    "reason-06",
    "reasoning",
    "A farmer must cross a river with a wolf, a goat and a cabbage; the boat holds one item besides him. How does he do it?",
  ],
  [
    "reason-07",
    "reasoning",
    "If it takes 5 machines 5 minutes to make 5 widgets, how long do 100 machines take to make 100 widgets?",
  ],
  [
    "reason-08",
    "reasoning",
    "Anna is older than Ben, Ben is older than Cara, and Dev is younger than Cara. Who is the second oldest?",
  ],
  [
    "reason-09",
    "reasoning",
    "A lily pad patch doubles every day and covers the pond on day 48. On which day did it cover half?",
  ],
  ["reason-10", "reasoning", "Is the statement 'this sentence is false' true or false? Explain the problem."],
  [
    "multi-01",
    "multi-turn",
    "I am planning a three-day trip to Lisbon. What should I see?",
    "Which of those are best on a rainy day?",
    "Turn the plan into a short checklist.",
  ],
  [
    "multi-02",
    "multi-turn",
    "Write a Python function that checks whether a string is a palindrome.",
    "Now make it ignore punctuation and case.",
    "Add three unit tests for it.",
  ],
  [
    "multi-03",
    "multi-turn",
    "Explain what compound interest is.",
    "How much does 1000 grow to at 5% a year for 10 years?",
  ],
  [
    "multi-04",
    "multi-turn",
    "Suggest a name for a cat that is grey and very lazy.",
    "Give me three more in the same spirit.",
    "Which one would you pick and why?",
  ],
  [
    "multi-05",
    "multi-turn",
    "What is the Pythagorean theorem?",
    "Use it to find the diagonal of a 3 by 4 rectangle.",
  ],
  [
    "multi-06",
    "multi-turn",
    "Help me outline a blog post about learning to cook.",
    "Write the introduction from that outline.",
  ],
  [
    "multi-07",
    "multi-turn",
    "What are the main causes of stress at work?",
    "Which of these can a manager actually change?",
  ],
  ["multi-08", "multi-turn", "Give me a simple recipe for pancakes.", "How do I make them without eggs?"],
  ["zh-01", "chinese", "请解释一下什么是机器学习，并举一个日常生活中的例子。"],
  ["zh-02", "chinese", "写一首关于秋天的四行短诗。"],
  ["zh-03", "chinese", "如何提高时间管理能力？请给出几条具体建议。"],
  ["zh-04", "chinese", "一个数的三倍加上五等于二十，这个数是多少？请写出解题过程。"],
  ["zh-05", "chinese", "用Python写一个函数，统计一段文字中每个词出现的次数。"],
  ["zh-06", "chinese", "我想学习做饭，应该从哪些菜开始？", "这些菜需要准备哪些基本调料？"],
];

/** The built-in prompt set (84 prompts, 9 of them multi-turn, 6 in Chinese). */
export function defaultPromptSet(): PromptSet {
  const prompts: RsePrompt[] = entries.map(([id, category, ...turns]) => ({
    id,
    dataset: "default",
    category,
    turns,
  }));
  return { dataset: "default", prompts, skipped: {}, source: "built-in" };
}
