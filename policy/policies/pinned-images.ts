/**
 * Container images must be pinned: no `latest` tag, no missing tag (which means latest); a digest
 * always counts as pinned and can be required with `requireDigest`.
 *
 * @severity medium
 * @topics supply-chain, reliability
 * @link https://kubernetes.io/docs/concepts/containers/images/#image-names
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { asString } from "../lib/kube";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";

/** Splits an image reference into tag and digest (either may be absent). */
export function parseImage(image: string): { tag?: string; digest?: string } {
    const at = image.indexOf("@");
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    const name = at >= 0 ? image.slice(0, at) : image;
    const lastSegment = name.slice(name.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
    return { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The pure rule. */
export const pinnedImagesRule = defineResourceRule({
    scope: "resource",
    id: "pinned-images",
    description: "Every container image has an explicit tag other than latest, or a digest.",
    severity: "medium",
    topics: ["supply-chain", "reliability"],
    remediationSteps: "Reference images by an immutable version tag (repo/app:1.4.2) or a digest (repo/app@sha256:…); never latest or an untagged name.",
    url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
    config: ruleConfigSchema({
        requireDigest: z.boolean().default(false).describe("Require an @sha256 digest on every image."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, undefined, (ref) => {
            const image = asString(ref.container.image);
            if (image === undefined || image === "") {
                return [];
            }
            const { tag, digest } = parseImage(image);
            const field = `${ref.path}.image`;
            if (digest !== undefined) {
                return [];
            }
            if (config.requireDigest) {
                return [{ field, problem: `image "${image}" is not pinned by digest`, fix: "reference the image by digest (image@sha256:…)" }];
            }
            if (tag === undefined) {
                return [{ field, problem: `image "${image}" has no tag, which means latest`, fix: "add an immutable version tag (for example :1.4.2) or a digest" }];
            }
            if (tag.toLowerCase() === "latest") {
                return [{ field, problem: `image "${image}" uses the latest tag`, fix: "replace latest with an immutable version tag or a digest" }];
            }
            return [];
        });
    },
});

/** CrossGuard policy for {@link pinnedImagesRule}. */
export const pinnedImages = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(pinnedImagesRule, level);
