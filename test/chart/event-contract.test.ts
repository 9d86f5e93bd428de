import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { TOPIC_NAME_PATTERN, isValidTopicName } from "../../components/event-contract";

const contractsDir = path.join(__dirname, "..", "..", "contracts");
const schema = JSON.parse(readFileSync(path.join(contractsDir, "event.schema.json"), "utf8"));

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

type Event = Record<string, unknown> & { metadata: Record<string, unknown> };

/** A fresh valid event (the schema's first example) for one-mutation-per-test cases. */
const validEvent = (): Event => structuredClone(schema.examples[0]);

const errorsOf = (event: unknown): string[] => {
    validate(event);
    return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

describe("the event schema", () => {
    it.each((schema.examples as Event[]).map((e, i): [number, Event] => [i, e]))("accepts its example %s", (_i, event) => {
        expect(errorsOf(event)).toEqual([]);
    });

    it("matches the examples documented in contracts/README.md", () => {
        const readme = readFileSync(path.join(contractsDir, "README.md"), "utf8");
        const documented = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
        expect(documented).toEqual(schema.examples);
    });

    it("rejects an event missing event_id", () => {
        const event = validEvent();
        delete event.event_id;
        expect(errorsOf(event)).toEqual([" must have required property 'event_id'"]);
    });

    it("rejects an event_id that is not a UUID", () => {
        expect(errorsOf({ ...validEvent(), event_id: "42" })).toEqual(['/event_id must match format "uuid"']);
    });

    it.each(["2025-01-31", "31/01/2025 09:30", "2025-01-31T09:30:00", "yesterday"])("rejects the timestamp %s", (timestamp) => {
        expect(errorsOf({ ...validEvent(), timestamp })).toEqual(['/timestamp must match format "date-time"']);
    });

    it("rejects an event_type that is not the event part of a topic name", () => {
        expect(errorsOf({ ...validEvent(), event_type: "todo.tasks.created.v1" })).toHaveLength(1);
    });

    it("rejects an event_version that is not v<major>", () => {
        expect(errorsOf({ ...validEvent(), event_version: "1.0" })).toHaveLength(1);
    });

    it("rejects unknown top-level fields", () => {
        expect(errorsOf({ ...validEvent(), payload: {} })).toEqual([" must NOT have additional properties"]);
    });

    it("rejects metadata without correlation_id", () => {
        const event = validEvent();
        delete event.metadata.correlation_id;
        expect(errorsOf(event)).toEqual(["/metadata must have required property 'correlation_id'"]);
    });

    it("rejects data that is not an object", () => {
        expect(errorsOf({ ...validEvent(), data: "task 17" })).toEqual(["/data must be object"]);
    });
});

describe("the topic naming rule", () => {
    it.each(["todo.tasks.created.v1", "todo.reminders.due.v1", "todo.tasks.due-soon.v12", "chat.messages.sent.v2"])(
        "accepts %s",
        (name) => {
            expect(isValidTopicName(name)).toBe(true);
        },
    );

    it.each([
        ["no version", "todo.tasks.created"],
        ["a version without v", "todo.tasks.created.1"],
        ["upper case", "Todo.Tasks.Created.v1"],
        ["only three parts", "todo.tasks_created.v1"],
        ["five parts", "todo.tasks.created.v1.dlq"],
        ["an empty part", "todo..created.v1"],
        ["a part starting with a digit", "1todo.tasks.created.v1"],
        ["more than 249 characters", `todo.${"x".repeat(250)}.created.v1`],
    ])("rejects a topic name with %s", (_why, name) => {
        expect(isValidTopicName(name)).toBe(false);
    });

    it("is the regular expression documented in contracts/README.md", () => {
        const readme = readFileSync(path.join(contractsDir, "README.md"), "utf8");
        expect(readme).toContain(TOPIC_NAME_PATTERN.source);
    });

    it("keeps event_type equal to the event-type part of the topic name", () => {
        const eventPart = TOPIC_NAME_PATTERN.source.split("\\.")[2];
        expect(schema.properties.event_type.pattern).toBe(`^${eventPart}$`);
    });
});
