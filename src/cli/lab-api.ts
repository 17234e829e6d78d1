// The contract between `fleetplay lab` and the lab package (packages/lab), as types only: the product
// never imports the lab, and the lab implements this (its labUp options extend LabUpRequest; a test
// assigns the lab's exports to LabApi).

/** What `lab up` asks of the lab (the lab's own options extend it). */
export interface LabUpRequest {
  dir: string;
  /** Linux hosts on the main segment. */
  linux: number;
  windows?: number;
  /** Distros the Linux hosts cycle through (default ubuntu22.04). */
  distros?: string[];
  /** Adds a bastion and an isolated segment reachable only through it. */
  bastion?: boolean;
  /** Linux hosts on the isolated segment (default 2; only with `bastion`). */
  isolated?: number;
  /** Progress lines for a CLI. */
  onProgress?: (message: string) => void;
}

/** What the CLI uses of the lab: the product does not import the lab (a test checks they agree). */
export interface LabApi {
  labUp: (opts: LabUpRequest) => Promise<{ hosts: readonly unknown[]; files: { inventoryYaml: string } }>;
  labDown: (dir: string) => Promise<void>;
  labStatus: (dir: string) => Promise<{
    hosts: ReadonlyArray<{ name: string; address: string; kind: string; distro?: string; running: boolean; sshd: 'answering' | 'silent' | 'behind-bastion' }>;
  }>;
  readLabInfo: (dir: string) => Promise<object | undefined>;
}
