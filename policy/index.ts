import { PolicyPack } from "@pulumi/policy";
import { enforcementLevel, policies } from "./policies";

// Constructing the pack starts the analyzer server, so nothing else (and no test) imports this file.
new PolicyPack("todo-stack-kubernetes", { policies, enforcementLevel });
