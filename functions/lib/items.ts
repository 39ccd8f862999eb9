/** The task codec, for callers that read tasks from here; every codec lives in shared/items/. */
export { taskFromItem } from "../../shared/items";
