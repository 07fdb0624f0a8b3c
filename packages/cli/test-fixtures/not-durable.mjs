// A plain async function, not wrapped in withDurableExecution: the CLI must say so.
export const handler = async (event) => ({ echoed: event });
