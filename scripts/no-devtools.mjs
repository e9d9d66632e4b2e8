// Stands in for react-devtools-core in the bundle (scripts/bundle.mjs): never called there.
export default {};
export function connectToDevTools() {}
