package com.datarsync.process.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.net.OutboundAddressPolicy;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.domain.VectorizerFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The vectorizer providers found on the class path, by identifier, and the models loaded so far
 * (one instance per provider and model, shared by every task that uses it).
 */
@Service
public class VectorizerRegistry {

    private final Map<String, VectorizerFactory> factories = new TreeMap<>();
    private final Map<String, Vectorizer> loaded = new ConcurrentHashMap<>();

    /** For tests: providers that call URLs reach public addresses only. */
    public VectorizerRegistry() {
        this(List.of());
    }

    /** @param allowedNetworks reviewed exceptions to the outbound address policy (CIDR blocks) */
    @Autowired
    public VectorizerRegistry(@Value("${datarsync.outbound.allowed-networks:}") List<String> allowedNetworks) {
        OutboundAddressPolicy policy = OutboundAddressPolicy.allowing(allowedNetworks);
        for (VectorizerFactory factory : ServiceLoader.load(VectorizerFactory.class)) {
            factory.restrictCallsTo(policy);
            factories.put(factory.identifier(), factory);
        }
    }

    public List<String> providers() {
        return List.copyOf(factories.keySet());
    }

    public Vectorizer get(String provider, String model) {
        return get(provider, model, Map.of());
    }

    public Vectorizer get(String provider, String model, Map<String, String> options) {
        return get(provider, model, options, null);
    }

    /**
     * The vectorizer for a provider, model and options, loading the model on first use.
     *
     * @param at where the embedding is in the task definition, for example {@code target.vectors[1]},
     *           to name in a refusal; null when there is no definition
     */
    public Vectorizer get(String provider, String model, Map<String, String> options, String at) {
        String path = at == null ? "embedding" : at + ".embedding";
        VectorizerFactory factory = factories.get(provider);
        if (factory == null) {
            throw refused(path + ".provider", "'" + provider + "' is not a known provider; known: " + providers());
        }
        if (!factory.serves(model)) {
            throw refused(path + ".model", "'" + model + "' is not a model of " + provider + "; known: "
                    + factory.models());
        }
        return loaded.computeIfAbsent(provider + ":" + model + ":" + new TreeMap<>(options), k -> {
            try {
                return factory.create(model, options);
            } catch (IllegalArgumentException e) {
                throw refused(path + ".options", e.getMessage());
            }
        });
    }

    private static DataRsyncException refused(String field, String reason) {
        return new DataRsyncException(ErrorCode.VALIDATION_FAILED, field + ": " + reason, Map.of("field", field), null);
    }
}
