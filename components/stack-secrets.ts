import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface StackSecretsArgs {
    /** Secret config keys set with `pulumi config set --secret`. */
    configured: string[];
    /** Secrets to generate with @pulumi/random when not configured, by key, with their lengths. */
    generated: Record<string, { length: number }>;
    /** Reads a configured secret as a secret Output (the one place that touches config). */
    read: (key: string) => pulumi.Output<string>;
}

/** Every secret of the stack as a secret Output: configured ones decrypted, the rest generated. */
export class StackSecrets extends pulumi.ComponentResource {
    private readonly values = new Map<string, pulumi.Output<string>>();

    constructor(name: string, args: StackSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:platform:Secrets", name, {}, opts);
        for (const key of args.configured) {
            this.values.set(key, args.read(key));
        }
        for (const [key, { length }] of Object.entries(args.generated)) {
            if (!this.values.has(key)) {
                const password = new random.RandomPassword(`${name}-${key}`, { length, special: false }, { parent: this });
                this.values.set(key, pulumi.secret(password.result));
            }
        }
        this.registerOutputs({});
    }

    /** The secret Output of a key; config validation guarantees the key exists. */
    public get(key: string): pulumi.Output<string> {
        const value = this.values.get(key);
        if (value === undefined) {
            throw new pulumi.ResourceError(`secret "${key}" is neither configured nor generated`, this);
        }
        return value;
    }

    /** Secret Outputs for a map of name -> secret key. */
    public pick(keys: Record<string, string>): Record<string, pulumi.Output<string>> {
        return Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, this.get(key)]));
    }
}
