package com.datarsync.process.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.process.domain.Vectorizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NumericVectorizersTest {

    private final NumericVectorizers factory = new NumericVectorizers();

    @Test
    void minMaxScalesEachFeatureByItsStatedRange() {
        Vectorizer v = factory.create("features", Map.of("normalization", "minmax", "params", "0:100; 10:20"));

        assertThat(v.dimension()).isEqualTo(2);
        assertThat(v.embed(List.of("25|15", "100|10")))
                .satisfiesExactly(a -> assertThat(a).containsExactly(0.25f, 0.5f), b -> assertThat(b).containsExactly(1f, 0f));
    }

    @Test
    void zScoreUsesTheStatedMeanAndDeviationAndL2MakesUnitLength() {
        Vectorizer v = factory.create("features", Map.of("normalization", "zscore", "params", "10:2;0:1", "l2", "true"));

        float[] x = v.embed(List.of("14|-2")).get(0);   // z = (2, -2), unit length (0.7071, -0.7071)

        assertThat(x[0]).isCloseTo(0.70710677f, within(1e-6f));
        assertThat(x[1]).isCloseTo(-0.70710677f, within(1e-6f));
    }

    @Test
    void emptyOrNonNumericValuesCountAsTheCentre() {
        Vectorizer v = factory.create("features", Map.of("normalization", "zscore", "params", "10:2;5:1"));

        assertThat(v.embed(List.of("|abc")).get(0)).containsExactly(0f, 0f);
    }

    @Test
    void badParametersAndTemplatesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> factory.create("features", Map.of("normalization", "minmax", "params", "5:5")))
                .hasMessageContaining("needs max > min");
        assertThatThrownBy(() -> factory.create("features", Map.of("normalization", "log")))
                .hasMessageContaining("known: minmax, zscore, none");
        assertThatThrownBy(() -> factory.create("features", Map.of()))
                .hasMessageContaining("features (the number of values) is required");
        Vectorizer v = factory.create("features", Map.of("features", "3"));
        assertThatThrownBy(() -> v.embed(List.of("1|2"))).isInstanceOf(DataRsyncException.class)
                .hasMessageContaining("expects 3 values separated by '|', the template gave 2");
    }
}
