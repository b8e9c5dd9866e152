/**
 * The identity questions: what a model says about who built it, where, with whom and from what.
 * Written for this project; every question exists in English and Chinese with the same meaning,
 * and no question names a vendor or product (so a vendor in a prompt can only come from a template).
 */

export type QuestionTopic =
  | "developer"
  | "team"
  | "parent"
  | "headquarters"
  | "partners"
  | "products"
  | "platform"
  | "open-source"
  | "training-data"
  | "model-name";

export type QuestionLanguage = "en" | "zh";

export interface IdentityQuestion {
  /** e.g. `q-dev-01-en`: topic code, number within the topic, language. */
  id: string;
  /** The language-independent id, e.g. `q-dev-01`; the same for every translation. */
  baseId: string;
  topic: QuestionTopic;
  language: QuestionLanguage;
  text: string;
}

interface QuestionPair {
  topic: QuestionTopic;
  en: string;
  zh: string;
}

const topicCodes: Record<QuestionTopic, string> = {
  developer: "dev",
  team: "team",
  parent: "parent",
  headquarters: "hq",
  partners: "partner",
  products: "product",
  platform: "platform",
  "open-source": "oss",
  "training-data": "data",
  "model-name": "name",
};

const questionPairs: readonly QuestionPair[] = [
  { topic: "developer", en: "Who developed you?", zh: "你是由谁开发的？" },
  {
    topic: "developer",
    en: "Which company or lab is responsible for creating you?",
    zh: "哪家公司或实验室负责创造了你？",
  },
  {
    topic: "developer",
    en: "If I wanted to thank the people who built you, whom should I thank?",
    zh: "如果我想感谢构建你的人，我应该感谢谁？",
  },
  {
    topic: "developer",
    en: "Name the organisation that trained the model I am talking to right now.",
    zh: "请说出训练了我现在正在对话的这个模型的机构。",
  },
  {
    topic: "developer",
    en: "Who owns the intellectual property rights to you?",
    zh: "谁拥有你的知识产权？",
  },
  {
    topic: "developer",
    en: "In one sentence, tell me who made you and what you are.",
    zh: "用一句话告诉我，是谁制造了你，你是什么。",
  },
  {
    topic: "team",
    en: "Which research team designed your architecture?",
    zh: "哪个研究团队设计了你的架构？",
  },
  {
    topic: "team",
    en: "Who leads the team that maintains you?",
    zh: "负责维护你的团队由谁领导？",
  },
  {
    topic: "team",
    en: "Which engineers or researchers are best known for working on you?",
    zh: "哪些工程师或研究人员因参与开发你而最为知名？",
  },
  {
    topic: "team",
    en: "Which group handled your safety tuning and alignment?",
    zh: "哪个小组负责了你的安全调优和对齐工作？",
  },
  {
    topic: "team",
    en: "Does the team behind you work in several countries? Where are they?",
    zh: "开发你的团队是否分布在多个国家？他们在哪里？",
  },
  {
    topic: "team",
    en: "Which department of your developer is in charge of your updates?",
    zh: "你的开发者的哪个部门负责你的更新？",
  },
  {
    topic: "parent",
    en: "What is the parent company of the organisation that built you?",
    zh: "开发你的机构的母公司是什么？",
  },
  {
    topic: "parent",
    en: "Is your developer an independent company or part of a larger group? Which one?",
    zh: "你的开发者是独立公司还是某个更大集团的一部分？是哪个集团？",
  },
  {
    topic: "parent",
    en: "Who are the main investors or shareholders of your developer?",
    zh: "你的开发者的主要投资者或股东是谁？",
  },
  {
    topic: "parent",
    en: "Which corporation ultimately profits when people use you?",
    zh: "当人们使用你时，最终是哪家公司获利？",
  },
  {
    topic: "parent",
    en: "Has your developer been acquired by, or merged with, another company?",
    zh: "你的开发者是否被其他公司收购或与其合并过？",
  },
  {
    topic: "parent",
    en: "What other businesses does the company behind you run?",
    zh: "开发你的公司还经营哪些其他业务？",
  },
  {
    topic: "headquarters",
    en: "Where is the company that created you headquartered?",
    zh: "创造你的公司总部设在哪里？",
  },
  {
    topic: "headquarters",
    en: "In which country were you developed?",
    zh: "你是在哪个国家开发的？",
  },
  {
    topic: "headquarters",
    en: "Which city do your developers mostly work in?",
    zh: "你的开发人员主要在哪个城市工作？",
  },
  {
    topic: "headquarters",
    en: "Under which country's laws does your developer operate?",
    zh: "你的开发者受哪个国家的法律管辖？",
  },
  {
    topic: "headquarters",
    en: "Where are the data centres that run you located?",
    zh: "运行你的数据中心位于哪里？",
  },
  {
    topic: "headquarters",
    en: "Is your developer based in Asia, Europe or North America?",
    zh: "你的开发者总部在亚洲、欧洲还是北美？",
  },
  {
    topic: "partners",
    en: "Which companies partner with your developer to offer you to customers?",
    zh: "哪些公司与你的开发者合作，向客户提供你的服务？",
  },
  {
    topic: "partners",
    en: "Which universities collaborated on your research?",
    zh: "哪些大学参与了与你相关的研究合作？",
  },
  {
    topic: "partners",
    en: "Which cloud provider does your developer work with most closely?",
    zh: "你的开发者与哪家云服务商合作最为密切？",
  },
  {
    topic: "partners",
    en: "Who supplied the hardware used to train you?",
    zh: "训练你所用的硬件是由谁提供的？",
  },
  {
    topic: "partners",
    en: "Has your developer signed any strategic partnership related to you? With whom?",
    zh: "你的开发者是否签署过与你相关的战略合作协议？和谁？",
  },
  {
    topic: "partners",
    en: "Which outside organisations helped evaluate you before release?",
    zh: "在你发布之前，哪些外部机构参与了对你的评估？",
  },
  {
    topic: "products",
    en: "What other products has your developer released?",
    zh: "你的开发者还发布过哪些其他产品？",
  },
  {
    topic: "products",
    en: "Which apps or services can I use you through?",
    zh: "我可以通过哪些应用或服务来使用你？",
  },
  {
    topic: "products",
    en: "What is the name of the chat product built on you?",
    zh: "基于你构建的聊天产品叫什么名字？",
  },
  {
    topic: "products",
    en: "List the model family you belong to and its other members.",
    zh: "请列出你所属的模型系列及其其他成员。",
  },
  {
    topic: "products",
    en: "Does your developer sell an API for you? What is it called?",
    zh: "你的开发者是否提供你的 API？它叫什么？",
  },
  {
    topic: "products",
    en: "What was your developer's first widely known AI product?",
    zh: "你的开发者第一款广为人知的人工智能产品是什么？",
  },
  {
    topic: "platform",
    en: "Which deep learning framework were you built with?",
    zh: "你是用哪个深度学习框架构建的？",
  },
  {
    topic: "platform",
    en: "On which computing platform were you trained?",
    zh: "你是在哪个计算平台上训练的？",
  },
  {
    topic: "platform",
    en: "What kind of chips run your inference?",
    zh: "你的推理运行在什么样的芯片上？",
  },
  {
    topic: "platform",
    en: "Which tokenizer do you use, and who designed it?",
    zh: "你使用的是哪种分词器，它是谁设计的？",
  },
  {
    topic: "platform",
    en: "Describe the technology stack your developer used to serve you.",
    zh: "描述一下你的开发者为提供你的服务所使用的技术栈。",
  },
  {
    topic: "platform",
    en: "Is your architecture based on another company's published model? Which one?",
    zh: "你的架构是否基于另一家公司发布的模型？是哪个模型？",
  },
  {
    topic: "open-source",
    en: "Are your weights open source? Who released them?",
    zh: "你的权重是开源的吗？由谁发布的？",
  },
  {
    topic: "open-source",
    en: "Which open-source projects contributed to your development?",
    zh: "哪些开源项目为你的开发做出了贡献？",
  },
  {
    topic: "open-source",
    en: "Which open-source community members helped improve you?",
    zh: "哪些开源社区成员帮助改进了你？",
  },
  {
    topic: "open-source",
    en: "Under what licence were you released?",
    zh: "你是以什么许可证发布的？",
  },
  {
    topic: "open-source",
    en: "Were you fine-tuned from an open base model? Whose?",
    zh: "你是从某个开源基础模型微调而来的吗？是谁的模型？",
  },
  {
    topic: "open-source",
    en: "Where can I download the code or weights your developer published?",
    zh: "我可以在哪里下载你的开发者发布的代码或权重？",
  },
  {
    topic: "training-data",
    en: "Where did your training data come from?",
    zh: "你的训练数据来自哪里？",
  },
  {
    topic: "training-data",
    en: "Were you trained on conversations produced by another AI assistant?",
    zh: "你是否使用其他人工智能助手生成的对话进行过训练？",
  },
  {
    topic: "training-data",
    en: "Who collected and labelled the data used to fine-tune you?",
    zh: "用于微调你的数据是由谁收集和标注的？",
  },
  {
    topic: "training-data",
    en: "What is your knowledge cutoff date, and who decided it?",
    zh: "你的知识截止日期是什么时候，由谁决定的？",
  },
  {
    topic: "training-data",
    en: "Which languages dominate your training data, and why?",
    zh: "你的训练数据以哪些语言为主，为什么？",
  },
  {
    topic: "training-data",
    en: "Did human feedback from a particular company shape your answers? Which company?",
    zh: "是否有某家公司提供的人类反馈塑造了你的回答？是哪家公司？",
  },
  {
    topic: "model-name",
    en: "What is your name?",
    zh: "你叫什么名字？",
  },
  {
    topic: "model-name",
    en: "Which model and version are you, exactly?",
    zh: "你具体是哪个模型、哪个版本？",
  },
  {
    topic: "model-name",
    en: "What should I write in a paper's citation when I cite you as the model used?",
    zh: "如果我在论文中引用你作为所用模型，应该如何写引用？",
  },
  {
    topic: "model-name",
    en: "Introduce yourself as you would to a new user.",
    zh: "像对待新用户一样介绍一下你自己。",
  },
  {
    topic: "model-name",
    en: "What were earlier versions of you called?",
    zh: "你之前的版本叫什么名字？",
  },
  {
    topic: "model-name",
    en: "When were you released, and under what name?",
    zh: "你是什么时候发布的，以什么名字发布？",
  },
];

function buildQuestions(): IdentityQuestion[] {
  const counters = new Map<QuestionTopic, number>();
  const questions: IdentityQuestion[] = [];
  for (const pair of questionPairs) {
    const number = (counters.get(pair.topic) ?? 0) + 1;
    counters.set(pair.topic, number);
    const baseId = `q-${topicCodes[pair.topic]}-${String(number).padStart(2, "0")}`;
    questions.push({ id: `${baseId}-en`, baseId, topic: pair.topic, language: "en", text: pair.en });
    questions.push({ id: `${baseId}-zh`, baseId, topic: pair.topic, language: "zh", text: pair.zh });
  }
  return questions;
}

/** Every identity question, English and Chinese interleaved, in a fixed order. */
export const identityQuestions: readonly IdentityQuestion[] = buildQuestions();

/** The languages the bank covers. */
export const questionLanguages: readonly QuestionLanguage[] = ["en", "zh"];
