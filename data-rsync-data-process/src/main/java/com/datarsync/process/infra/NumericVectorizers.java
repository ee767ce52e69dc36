package com.datarsync.process.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.process.domain.NamedVectorizer;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.domain.VectorizerFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code numeric}: structured rows to vectors, model {@code features}. The task's template lists
 * the numeric columns in order, separated by {@code |} (for example {@code "{price}|{qty}|{rating}"});
 * each value becomes one dimension, normalised with the parameters the task states, and the
 * vector is optionally scaled to unit length.
 *
 * <p>Options: {@code normalization} ({@code minmax}, {@code zscore} or {@code none}; default
 * {@code none}), {@code params} (one entry per feature, separated by {@code ;}: {@code min:max} for
 * min-max, {@code mean:std} for z-score; required unless {@code none}), {@code features} (the
 * number of features; required with {@code none}), {@code l2} ({@code true} to divide by the
 * Euclidean norm; default {@code false}).
 *
 * <p>An empty (NULL) or non-numeric value counts as the feature's centre: 0 after normalisation
 * (the minimum for min-max, the mean for z-score). A text with another number of values than
 * features is a template error and fails the task.
 */
public final class NumericVectorizers implements VectorizerFactory {

    public static final String MODEL = "features";

    @Override
    public String identifier() {
        return "numeric";
    }

    @Override
    public List<String> models() {
        return List.of(MODEL);
    }

    @Override
    public Vectorizer create(String model, Map<String, String> options) {
        String normalization = options.getOrDefault("normalization", "none");
        boolean l2 = Boolean.parseBoolean(options.getOrDefault("l2", "false"));
        double[] offset;
        double[] scale;
        switch (normalization) {
            case "none" -> {
                int n = features(options.get("features"));
                offset = new double[n];
                scale = new double[n];
                Arrays.fill(scale, 1);
            }
            case "minmax", "zscore" -> {
                String params = options.get("params");
                if (params == null || params.isBlank()) {
                    throw new IllegalArgumentException("params is required with " + normalization + ": "
                            + (normalization.equals("minmax") ? "min:max" : "mean:std") + " per feature, separated by ';'");
                }
                String[] entries = params.split(";");
                offset = new double[entries.length];
                scale = new double[entries.length];
                for (int i = 0; i < entries.length; i++) {
                    String[] pair = entries[i].trim().split(":");
                    try {
                        double a = Double.parseDouble(pair[0].trim());
                        double b = Double.parseDouble(pair[1].trim());
                        offset[i] = a;
                        scale[i] = normalization.equals("minmax") ? b - a : b;
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("params entry " + (i + 1) + " '" + entries[i]
                                + "' is not two numbers a:b");
                    }
                    if (!(scale[i] > 0)) {
                        throw new IllegalArgumentException("params entry " + (i + 1) + " '" + entries[i]
                                + (normalization.equals("minmax") ? "' needs max > min" : "' needs std > 0"));
                    }
                }
            }
            default -> throw new IllegalArgumentException("normalization '" + normalization
                    + "' is not known; known: minmax, zscore, none");
        }
        String version = normalization + (l2 ? "+l2" : "") + ":" + options.getOrDefault("params", "")
                + ":" + offset.length;
        return new Features(identifier(), version, offset, scale, l2);
    }

    private static int features(String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n < 1 || n > 32_768) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("features (the number of values) is required with normalization none");
        }
    }

    private static final class Features extends NamedVectorizer {

        private final double[] offset;
        private final double[] scale;
        private final boolean l2;

        Features(String provider, String version, double[] offset, double[] scale, boolean l2) {
            super(provider, MODEL, version);
            this.offset = offset;
            this.scale = scale;
            this.l2 = l2;
        }

        @Override
        public int dimension() {
            return offset.length;
        }

        @Override
        public boolean cacheable() {
            // Parsing a few numbers is far cheaper than fetching them from Redis.
            return false;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>(texts.size());
            for (String text : texts) {
                out.add(vector(text));
            }
            return out;
        }

        private float[] vector(String text) {
            String[] values = text.split("\\|", -1);
            if (values.length != offset.length) {
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "embedding.template: the numeric "
                        + "vectorizer expects " + offset.length + " values separated by '|', the template gave "
                        + values.length, Map.of("field", "embedding.template"), null);
            }
            double[] v = new double[values.length];
            double norm = 0;
            for (int i = 0; i < values.length; i++) {
                double x;
                try {
                    x = (Double.parseDouble(values[i].trim()) - offset[i]) / scale[i];
                } catch (NumberFormatException empty) {
                    x = 0;
                }
                v[i] = x;
                norm += x * x;
            }
            float[] out = new float[v.length];
            double divisor = l2 && norm > 0 ? Math.sqrt(norm) : 1;
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) (v[i] / divisor);
            }
            return out;
        }
    }
}
