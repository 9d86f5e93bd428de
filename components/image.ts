/** A container image reference split into the parts the chart and policies need. */
export interface ImageReference {
    repository: string;
    /** The tag; for digest-only references the chart still needs a label value, so "digest". */
    tag: string;
    digest?: string;
    /** The reference as written. */
    reference: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Parses `registry/repo:tag`, `registry/repo@sha256:…` or both. Returns an error message
 * (with the fix) instead of throwing, so config validation can report it with its key path.
 */
export function parseImageReference(reference: string): ImageReference | { error: string } {
    const [name, digest, ...extra] = reference.split("@");
    if (extra.length > 0 || name === "") {
        return { error: `"${reference}" is not an image reference. Fix: use registry/repository:tag` };
    }
    if (digest !== undefined && !DIGEST.test(digest)) {
        return { error: `"${reference}" has a malformed digest. Fix: use @sha256:<64 hex digits>` };
    }
    // A colon after the last slash separates the tag; one before it is a registry port.
    const lastSlash = name.lastIndexOf("/");
    const colon = name.lastIndexOf(":");
    const tag = colon > lastSlash ? name.slice(colon + 1) : undefined;
    const repository = colon > lastSlash ? name.slice(0, colon) : name;
    if (tag === undefined && digest === undefined) {
        return {
            error: `"${reference}" has no tag or digest, so every pull may get a different image. Fix: pin it, e.g. "${repository}:1.0.0" or "${repository}@sha256:<digest>"`,
        };
    }
    if (tag !== undefined && !TAG.test(tag)) {
        return { error: `"${reference}" has an invalid tag "${tag}". Fix: use a tag of letters, digits, '.', '_' or '-'` };
    }
    if (tag === "latest" && digest === undefined) {
        return {
            error: `"${reference}" uses the floating tag "latest". Fix: pin a release tag, e.g. "${repository}:1.0.0", or add a digest`,
        };
    }
    return { repository, tag: tag ?? "digest", digest, reference };
}
