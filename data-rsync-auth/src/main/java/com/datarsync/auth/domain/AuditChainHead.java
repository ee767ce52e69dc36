package com.datarsync.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row holding the hash of the newest audit entry; locked by every append. */
@Entity
@Table(name = "audit_chain_head")
public class AuditChainHead {

    public static final byte ID = 1;

    @Id
    private Byte id;

    @Column(name = "last_hash", nullable = false, length = 64)
    private String lastHash;

    protected AuditChainHead() {
    }

    public String getLastHash() {
        return lastHash;
    }

    public void advanceTo(String hash) {
        this.lastHash = hash;
    }
}
