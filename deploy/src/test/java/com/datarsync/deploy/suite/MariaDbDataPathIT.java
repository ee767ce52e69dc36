package com.datarsync.deploy.suite;

/** The data path from MariaDB's binlog to Milvus. */
class MariaDbDataPathIT extends DataPathEndToEnd {

    @Override
    E2eTable table() {
        return new MariaDbE2eTable();
    }

    @Override
    boolean crashInFastRun() {
        return true;
    }
}
