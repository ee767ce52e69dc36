package com.datarsync.process.domain;

/** The identity part of a {@link Vectorizer}: provider, model and version, fixed at creation. */
public abstract class NamedVectorizer implements Vectorizer {

    private final String provider;
    private final String modelName;
    private final String modelVersion;

    protected NamedVectorizer(String provider, String modelName, String modelVersion) {
        this.provider = provider;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    @Override
    public final String provider() {
        return provider;
    }

    @Override
    public final String modelName() {
        return modelName;
    }

    @Override
    public final String modelVersion() {
        return modelVersion;
    }
}
