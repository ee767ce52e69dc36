"""Milvus' own upsert speed for a collection's shape: the ceiling the Milvus writer is measured against.

Usage: upsert_ceiling.py URI COLLECTION ROWS BATCH

Creates COLLECTION_ceiling with the schema and indexes of COLLECTION, upserts ROWS rows of the
numeric benchmark's shape (pk = str(i), a = i % 1000, g = 0, features = [a, i % 7]) in batches of
BATCH with pymilvus, first as new keys, then again as existing keys, drops the scratch collection
and prints one JSON line: {"newKeysRowsPerSecond": ..., "existingKeysRowsPerSecond": ...}.
"""
import json
import sys
import time

from pymilvus import MilvusClient


def rows(start, end, generation):
    return [{"pk": str(i), "a": i % 1000, "g": generation, "features": [float(i % 1000), float(i % 7)]}
            for i in range(start, end)]


def timed_upserts(client, name, total, batch, generation):
    started = time.perf_counter()
    for start in range(1, total + 1, batch):
        client.upsert(name, rows(start, min(start + batch, total + 1), generation))
    # Counted once Milvus answers a Strong query with all of them, as the pipeline is.
    client.query(name, filter="", output_fields=["count(*)"], consistency_level="Strong")
    return total / (time.perf_counter() - started)


def main():
    uri, source, total, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    client = MilvusClient(uri=uri)
    name = source + "_ceiling"
    if client.has_collection(name):
        client.drop_collection(name)
    described = client.describe_collection(source)
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    for field in described["fields"]:
        params = dict(field.get("params", {}))
        schema.add_field(field["name"], field["type"], is_primary=field.get("is_primary", False),
                         nullable=field.get("nullable", False), **params)
    indexes = client.prepare_index_params()
    for index_name in client.list_indexes(source):
        index = client.describe_index(source, index_name)
        extra = {k: v for k, v in index.items()
                 if k not in ("field_name", "index_name", "index_type", "metric_type", "total_rows",
                              "indexed_rows", "pending_index_rows", "state")}
        indexes.add_index(field_name=index["field_name"], index_type=index.get("index_type", "AUTOINDEX"),
                          metric_type=index.get("metric_type"), params=extra)
    client.create_collection(name, schema=schema, index_params=indexes)
    client.load_collection(name)
    try:
        new_keys = timed_upserts(client, name, total, batch, 0)
        existing_keys = timed_upserts(client, name, total, batch, 1)
    finally:
        client.drop_collection(name)
    print(json.dumps({"newKeysRowsPerSecond": round(new_keys), "existingKeysRowsPerSecond": round(existing_keys)}))


if __name__ == "__main__":
    main()
