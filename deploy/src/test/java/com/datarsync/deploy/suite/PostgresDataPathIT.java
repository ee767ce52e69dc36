package com.datarsync.deploy.suite;

/** The data path from PostgreSQL's WAL (pgoutput) to Milvus, with a composite primary key. */
class PostgresDataPathIT extends DataPathEndToEnd {

    @Override
    E2eTable table() {
        return new PostgresE2eTable();
    }

    @Override
    boolean crashInFastRun() {
        return false;
    }
}
