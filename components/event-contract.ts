/**
 * The event contract's naming rule, shared by the chart values schema and the stack config.
 * The full event envelope is the JSON Schema in `contracts/event.schema.json`; see `contracts/README.md`.
 */

/**
 * Topic names follow `app.domain.event-type.version`, for example `todo.tasks.created.v1`:
 * four dot-separated lower-case segments, the last one a `v<major>` version.
 * @see contracts/README.md
 */
export const TOPIC_NAME_PATTERN = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[0-9]+$/;

/** Kafka rejects topic names longer than 249 characters. */
export const TOPIC_NAME_MAX_LENGTH = 249;

/**
 * Whether `name` is a topic name that follows the contract (`app.domain.event-type.version`)
 * and that Kafka accepts. Pure: no I/O, no Pulumi.
 */
export function isValidTopicName(name: string): boolean {
    return name.length <= TOPIC_NAME_MAX_LENGTH && TOPIC_NAME_PATTERN.test(name);
}
