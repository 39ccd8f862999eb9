/**
 * Item codecs for the functions. They live in shared/items/ (one module per item type); the
 * task codec is re-exported here for the callers that always read tasks from this module.
 */
export { taskFromItem, withoutStorage as withoutKeys } from "../../shared/items";
