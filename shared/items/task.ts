import { type Task, TaskSchema } from "../task";
import { parseItem } from "./codec";
import type { ItemKey } from "./table";
import { type Condition, type ItemUpdate, itemUpdate } from "./update";

/** A review task. */
export const taskKey = (taskId: string): ItemKey => ({ pk: `TASK#${taskId}`, sk: "META" });

/**
 * A task as stored: the task, and while claimed the receipt handle of the queue message it
 * was claimed from (kept on the item, never returned to a reviewer).
 */
export type StoredTask = Task & { receiptHandle?: string };

/** The stored item of a new task (no receipt yet: it has not been claimed). */
export function taskToItem(task: Task): Record<string, unknown> {
  return { ...taskKey(task.taskId), type: "task", ...task };
}

/**
 * A stored task item with its receipt handle, if it has one.
 *
 * @throws MalformedItemError when it does not match {@link TaskSchema}.
 */
export function storedTaskFromItem(item: Record<string, unknown>): StoredTask {
  const { receiptHandle, ...rest } = item;
  const task = parseItem("task", TaskSchema, rest);
  return typeof receiptHandle === "string" ? { ...task, receiptHandle } : task;
}

/**
 * A stored task item as a Task.
 *
 * @throws MalformedItemError when it does not match {@link TaskSchema}.
 */
export function taskFromItem(item: Record<string, unknown>): Task {
  const { receiptHandle: _receipt, ...task } = storedTaskFromItem(item);
  return task;
}

/** Attributes of a stored task that an update may set or remove. */
type TaskAttributes = Omit<StoredTask, "taskId">;

/** What one update does to a task item. */
export interface TaskChange {
  set?: { [K in keyof TaskAttributes]?: TaskAttributes[K] };
  remove?: ReadonlyArray<keyof TaskAttributes>;
}

/** The update of one task item (claim, lease, release, score, weight), under `condition`. */
export const taskUpdate = (taskId: string, change: TaskChange, condition?: Condition): ItemUpdate =>
  itemUpdate(
    taskKey(taskId),
    {
      ...(change.set ? { set: change.set } : {}),
      ...(change.remove ? { remove: change.remove } : {}),
    },
    condition,
  );
