// Whether a server's model list names the model asked for. Ollama lists tags in full
// ("llama3.2:latest") and answers to the bare name ("llama3.2") as the same model.

export function isModelListed(ids: readonly string[], model: string): boolean {
  return ids.includes(model) || (!model.includes(':') && ids.includes(`${model}:latest`));
}
