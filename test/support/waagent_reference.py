# A transcription, in Python, of how the current Azure Linux agent reads waagent.conf (its
# ConfigurationProvider.load, get_switch and enable_rdma, as DOMAIN.md describes them). The property
# test runs fleetplay's TypeScript reading against this on generated files: Python's own str methods
# decide what "strip" and "whitespace" mean, so the two can disagree only if the module is wrong.
# stdin: a JSON list of file contents. stdout: a JSON list, per file, of the three RDMA switches'
# values ("y"/"n"/null for the default) and whether RDMA comes up.
import json
import sys

SWITCHES = ("OS.EnableRDMA", "OS.UpdateRdmaDriver", "OS.CheckRdmaDriver")


def load(content):
    values = {}
    for line in content.split("\n"):
        if line.startswith("#") or "=" not in line:
            continue
        left, right = line.split("=", 1)
        value = right.split("#")[0].strip('" ').strip()
        values[left.strip()] = None if value == "None" else value
    return values


def switch(values, key):
    value = values.get(key)
    if value is not None and value.lower() == "y":
        return "y"
    if value is not None and value.lower() == "n":
        return "n"
    return None


def main():
    out = []
    for content in json.load(sys.stdin):
        values = load(content)
        switches = {key: switch(values, key) for key in SWITCHES}
        out.append({"switches": switches, "rdma": any(v == "y" for v in switches.values())})
    json.dump(out, sys.stdout)


main()
