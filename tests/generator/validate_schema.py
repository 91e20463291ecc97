"""Validates a uvgen schema file against schema/uvgen-schema.json.

usage: validate_schema.py JSON_SCHEMA INSTANCE
Exit 0 when valid; 1 and the first error otherwise.
"""
import json
import sys

import jsonschema


def main() -> int:
    with open(sys.argv[1]) as f:
        json_schema = json.load(f)
    with open(sys.argv[2]) as f:
        instance = json.load(f)
    jsonschema.Draft7Validator.check_schema(json_schema)
    errors = sorted(jsonschema.Draft7Validator(json_schema).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path)
        print(f"{sys.argv[2]}: invalid at /{where}: {first.message}", file=sys.stderr)
        return 1
    print(f"{sys.argv[2]}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
