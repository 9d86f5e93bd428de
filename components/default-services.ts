import type { ServiceInput, TopicInput } from "./config-schema";

/**
 * The Todo/chat product: the services and topics every stack starts from. A stack's
 * `services` and `topics` config entries are merged onto these (a stack sets at least
 * each image), and `services.<name>.enabled: false` leaves one out.
 */
export const DEFAULT_SERVICES: Readonly<Record<string, ServiceInput>> = {
    frontend: {
        port: 3000,
        healthPath: "/",
        ingressPath: "/",
        dapr: false,
        dependsOn: ["backend"],
        metadata: { component: "frontend", description: "Next.js web front end of the Todo/chat product." },
    },
    backend: {
        port: 8000,
        healthPath: "/api/v1/health",
        ingressPath: "/api",
        dapr: true,
        publishes: ["todo.tasks.created.v1", "todo.tasks.updated.v1", "todo.tasks.completed.v1", "todo.reminders.due.v1"],
        secretEnv: { DATABASE_URL: "databaseUrl", JWT_SECRET: "jwtSecret" },
        metadata: { component: "api", description: "FastAPI back end: tasks, chat and reminders." },
    },
    "ai-agent": {
        port: 8080,
        healthPath: "/healthz",
        dapr: true,
        dependsOn: ["backend"],
        secretEnv: { OPENAI_API_KEY: "openaiApiKey" },
        metadata: { component: "agent", description: "AI agent that turns chat messages into task operations." },
    },
    "recurring-task-service": {
        port: 8080,
        healthPath: "/healthz",
        dapr: true,
        subscribes: { "todo.tasks.completed.v1": "/events/task-completed" },
        publishes: ["todo.tasks.created.v1"],
        metadata: { component: "worker", description: "Creates the next occurrence when a recurring task is completed." },
    },
    "notification-service": {
        port: 8080,
        healthPath: "/healthz",
        dapr: true,
        subscribes: { "todo.reminders.due.v1": "/events/reminder-due" },
        metadata: { component: "worker", description: "Sends reminder notifications when reminders fall due." },
    },
};

/** Topics of the event contract (`contracts/`), created on the managed Kafka. */
export const DEFAULT_TOPICS: Readonly<Record<string, TopicInput>> = {
    "todo.tasks.created.v1": {},
    "todo.tasks.updated.v1": {},
    "todo.tasks.completed.v1": {},
    "todo.reminders.due.v1": {},
};
