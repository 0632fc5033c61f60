"""Checks docker-compose.yml without a Docker engine: the Compose Specification's schema, then this repository.

Run through scripts/check-compose.sh. `--self-test` also breaks a copy of the file in each way the check is meant to
catch and fails unless every break is caught.
"""
import copy
import json
import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, "scripts", "compose", "compose-spec.json")

# Where each of our images documents its settings (a table whose first column names them in backticks).
SETTINGS_DOCS = {
    "Connectra.Backend.Api": "docs/operations.md",
    "Connectra.Emulator": "docs/emulator.md",
}
# Variables the host itself reads, whatever the project documents.
HOST_VARIABLES = re.compile(r"^(ASPNETCORE|DOTNET)_[A-Z_]+$")
# Images we do not build: the variables they read and the programs a health check may run in them.
UPSTREAM_IMAGES = {
    "postgres": {"env": re.compile(r"^(POSTGRES|PG)[A-Z_]*$"), "programs": {"pg_isready", "psql"}},
}
SETTING = re.compile(r"`([A-Za-z][A-Za-z0-9_]*(?:(?::|__)[A-Za-z0-9_*]+)*)`")
INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key twice in one mapping (PyYAML would keep the last one silently)."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # "<<: *anchor" merges; a key written beside it overrides, as Compose does
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def interpolate(value):
    """Substitutes ${VAR}, ${VAR:-default} and ${VAR:?error} as Compose would with every required variable set."""
    if isinstance(value, dict):
        return {k: interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.group(1) or match.group(4), match.group(2), match.group(3)
        if operator in (":-", "-"):
            return argument
        return f"<{name}>"

    return INTERPOLATION.sub(substitute, value)


def documented_settings(doc):
    names = set()
    with open(os.path.join(ROOT, doc), encoding="utf-8") as text:
        for line in text:
            if line.startswith("|"):
                first_cell = line.split("|")[1]
                names.update(name.replace("__", ":") for name in SETTING.findall(first_cell))
    return names


def setting_is_known(key, documented):
    name = key.replace("__", ":")
    # "Connectra:Resilience:Retry:Delay" is covered by a documented "Connectra:Resilience:*"; list entries
    # ("Cors:AllowedOrigins:0") by their list.
    parts = name.split(":")
    candidates = {name} | {":".join(parts[:i]) + ":*" for i in range(1, len(parts))}
    if parts[-1].isdigit():
        candidates.add(":".join(parts[:-1]))
    return bool(candidates & documented)


def final_stage(dockerfile_text):
    return dockerfile_text.split("\nFROM ")[-1]


def environment_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return env


def health_program(test):
    if isinstance(test, str):
        return test.split()[0] if test.strip() else None
    if not test or test[0] == "NONE":
        return None
    if test[0] == "CMD-SHELL":
        return test[1].split()[0] if len(test) > 1 and test[1].strip() else None
    return test[1] if test[0] == "CMD" and len(test) > 1 else test[0]


def check(document):
    """Returns the problems found in a parsed (not yet interpolated) compose document."""
    problems = []
    resolved = interpolate(document)
    with open(SCHEMA, encoding="utf-8") as schema_file:
        schema = json.load(schema_file)
    validator = jsonschema.Draft201909Validator(schema)
    for error in sorted(validator.iter_errors(resolved), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        problems.append(f"schema: {where}: {error.message}")
    if problems:
        return problems

    services = resolved.get("services") or {}
    declared_volumes = set((resolved.get("volumes") or {}).keys())
    used_volumes = set()
    one_shots = {name for name, s in services.items() if str(s.get("restart", "no")) == "no"}

    for name, service in services.items():
        where = f"services.{name}"
        project, dockerfile_text = None, None
        build = service.get("build")
        if build is not None:
            build = {"context": build} if isinstance(build, str) else build
            context = os.path.normpath(os.path.join(ROOT, build.get("context", ".")))
            dockerfile = os.path.join(context, build.get("dockerfile", "Dockerfile"))
            if not os.path.isdir(context):
                problems.append(f"{where}: build context {build.get('context')} does not exist")
            elif not os.path.isfile(dockerfile):
                problems.append(f"{where}: Dockerfile {os.path.relpath(dockerfile, ROOT)} does not exist")
            else:
                with open(dockerfile, encoding="utf-8") as text:
                    dockerfile_text = text.read()
                published = re.search(r"dotnet publish \S*?([A-Za-z.]+)\.csproj", dockerfile_text)
                project = published.group(1) if published else None
        image = service.get("image", "").split(":")[0].split("/")[-1] if "image" in service and build is None else None

        # Settings: every variable must be one the program reads.
        env = environment_of(service)
        if project in SETTINGS_DOCS:
            documented = documented_settings(SETTINGS_DOCS[project])
            shell_variables = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", dockerfile_text or ""))
            for key in env:
                if not (HOST_VARIABLES.match(key) or key in shell_variables or setting_is_known(key, documented)):
                    problems.append(f"{where}.environment: {key} is no setting of {project} ({SETTINGS_DOCS[project]})")
        elif image in UPSTREAM_IMAGES:
            for key in env:
                if not UPSTREAM_IMAGES[image]["env"].match(key):
                    problems.append(f"{where}.environment: {key} is not read by the {image} image")
        elif env:
            problems.append(f"{where}: no list of settings is known for this service's image")

        # Health: every long-running service says how to tell it is up, with a program its image has.
        health = service.get("healthcheck")
        if name not in one_shots:
            if not health or health.get("disable") or health_program(health.get("test")) is None:
                problems.append(f"{where}: a long-running service needs a health check")
            else:
                program = health_program(health["test"])
                if dockerfile_text is not None:
                    copied = re.findall(r"^COPY\s+(?:--\S+\s+)*(\S+)\s+(\S+)\s*$", final_stage(dockerfile_text), re.M)
                    sources = [src for src, dest in copied if dest == program]
                    if not sources:
                        problems.append(f"{where}.healthcheck: {program} is not copied into the image by its Dockerfile")
                    elif not all(os.path.isfile(os.path.join(ROOT, src)) for src in sources):
                        problems.append(f"{where}.healthcheck: {program} comes from a file missing in the repository")
                elif image in UPSTREAM_IMAGES and program not in UPSTREAM_IMAGES[image]["programs"]:
                    problems.append(f"{where}.healthcheck: {program} is not known to exist in the {image} image")

        # Start order.
        depends = service.get("depends_on") or {}
        if isinstance(depends, list):
            depends = {d: {"condition": "service_started"} for d in depends}
        for target, rule in depends.items():
            if target not in services:
                problems.append(f"{where}.depends_on: no service {target}")
                continue
            condition = rule.get("condition")
            if condition == "service_healthy" and not (services[target].get("healthcheck") or {}).get("test"):
                problems.append(f"{where}.depends_on: {target} has no health check to wait for")
            if condition == "service_completed_successfully" and target not in one_shots:
                problems.append(f"{where}.depends_on: {target} restarts, so it never completes")
            if condition == "service_started" and target not in one_shots:
                problems.append(f"{where}.depends_on: wait for {target} to be healthy, not merely started")

        # Volumes.
        for volume in service.get("volumes") or []:
            source = volume.get("source") if isinstance(volume, dict) else volume.split(":")[0]
            if source and not source.startswith((".", "/", "~")):
                used_volumes.add(source)
                if source not in declared_volumes:
                    problems.append(f"{where}.volumes: named volume {source} is not declared")
            elif source and source.startswith(".") and not os.path.exists(os.path.join(ROOT, source)):
                problems.append(f"{where}.volumes: {source} does not exist")

        # Export files must outlive the container and be shared by every replica.
        storage = env.get("Exports__StoragePath")
        if storage is not None:
            targets = [v.split(":")[1] for v in service.get("volumes") or [] if isinstance(v, str) and v.count(":") >= 1]
            if storage not in targets:
                problems.append(f"{where}: Exports__StoragePath {storage} is not on a mounted volume")

    for unused in sorted(declared_volumes - used_volumes):
        problems.append(f"volumes: {unused} is declared but no service mounts it")
    return problems


def self_test(document):
    """Each break must be reported; returns the breaks that were not."""
    def backend(d):
        return d["services"]["backend"]

    breaks = {
        "an unknown top-level key": lambda d: d.update({"servcies": {}}),
        "a misspelt service key": lambda d: backend(d).update({"healtcheck": backend(d)["healthcheck"]}),
        "a setting that does not exist": lambda d: backend(d)["environment"].update({"Exports__StorageFolder": "/x"}),
        "a missing Dockerfile": lambda d: backend(d)["build"].update({"dockerfile": "src/Nowhere/Dockerfile"}),
        "a service without a health check": lambda d: backend(d).pop("healthcheck"),
        "a health check program the image lacks": lambda d: d["services"]["postgres"]["healthcheck"].update(
            {"test": ["CMD", "curl", "-f", "http://localhost"]}),
        "a health check script the Dockerfile does not copy": lambda d: backend(d)["healthcheck"].update(
            {"test": ["CMD", "/app/probe.sh"]}),
        "waiting on a service that never completes": lambda d: backend(d)["depends_on"].update(
            {"postgres": {"condition": "service_completed_successfully"}}),
        "an undeclared volume": lambda d: backend(d)["volumes"].append("scratch:/tmp/scratch"),
        "export storage off the volume": lambda d: backend(d)["environment"].update({"Exports__StoragePath": "/tmp/exports"}),
    }
    missed = []
    for what, apply in breaks.items():
        broken = copy.deepcopy(document)
        apply(broken)
        if not check(broken):
            missed.append(what)
    return missed


def main(argv):
    path = os.path.join(ROOT, "docker-compose.yml")
    with open(path, encoding="utf-8") as text:
        try:
            document = yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - SafeLoader underneath
        except yaml.YAMLError as error:
            print(f"docker-compose.yml: not valid YAML: {error}")
            return 1

    problems = check(document)
    for problem in problems:
        print(f"docker-compose.yml: {problem}")
    if "--self-test" in argv and not problems:
        missed = self_test(document)
        for what in missed:
            print(f"check-compose self-test: {what} went unnoticed")
        problems += missed
    if not problems:
        print(f"docker-compose.yml: valid ({len(document['services'])} services)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
