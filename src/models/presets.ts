/** Named OpenAI-compatible presets: each only sets a base URL and the env variable holding the key. */

export interface Preset {
  baseUrl: string;
  /** Env variable for the key; undefined = keyless local server. */
  keyVariable?: string;
  /** Env variable that overrides the base URL. */
  baseUrlVariable?: string;
}

export const presets: Record<string, Preset> = {
  deepseek: { baseUrl: "https://api.deepseek.com/v1", keyVariable: "DEEPSEEK_API_KEY" },
  qwen: {
    baseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    keyVariable: "DASHSCOPE_API_KEY",
  },
  openrouter: { baseUrl: "https://openrouter.ai/api/v1", keyVariable: "OPENROUTER_API_KEY" },
  together: { baseUrl: "https://api.together.xyz/v1", keyVariable: "TOGETHER_API_KEY" },
  groq: { baseUrl: "https://api.groq.com/openai/v1", keyVariable: "GROQ_API_KEY" },
  mistral: { baseUrl: "https://api.mistral.ai/v1", keyVariable: "MISTRAL_API_KEY" },
  xai: { baseUrl: "https://api.x.ai/v1", keyVariable: "XAI_API_KEY" },
  moonshot: { baseUrl: "https://api.moonshot.ai/v1", keyVariable: "MOONSHOT_API_KEY" },
  zhipu: { baseUrl: "https://open.bigmodel.cn/api/paas/v4", keyVariable: "ZHIPUAI_API_KEY" },
  vllm: { baseUrl: "http://localhost:8000/v1", baseUrlVariable: "VLLM_BASE_URL" },
  lmstudio: { baseUrl: "http://localhost:1234/v1", baseUrlVariable: "LMSTUDIO_BASE_URL" },
};
