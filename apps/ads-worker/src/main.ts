// Entry point of the ads worker (skeleton: the handler is wired in create-ads-app once it lands).
// Nothing below this file reads the environment.
export {};
