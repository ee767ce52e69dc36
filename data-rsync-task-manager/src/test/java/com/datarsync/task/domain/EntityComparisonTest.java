package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void equalEntitiesHaveNoDifferenceWhateverTheNumberTypesAndJsonForm() throws Exception {
        JsonNode expected = json("{'primaryKey': '7', 'fields': {'qty': 3, 'ratio': 0.1, 'attrs': {'a': [1, 2]},"
                + " 'title': 'x', 'active': true, 'gone': null}, 'vectors': {'v': [1.0, 0.0, 0.0]}}");
        JsonNode held = json("{'pk': '7', 'qty': 3.0, 'ratio': 0.10000000149, 'attrs': '{\\'a\\': [1,2]}', 'title': 'x',"
                + " 'active': true, 'gone': null, 'v': [0.9999, 0.001, 0.0]}".replace("\\'", "\\\""));
        assertThat(EntityComparison.differences(List.of(expected), List.of(held), "pk")).isEmpty();
    }

    @Test
    void zeroVectorsAreEqualAndUnnormalisedVectorsMustAlsoHaveTheSameLength() throws Exception {
        // Numeric features of a row whose columns are all 0: no direction, yet the same vector.
        assertThat(EntityComparison.differences(List.of(json("{'primaryKey': '70000', 'fields': {}, 'vectors': "
                + "{'f': [0.0, 0.0]}}")), List.of(json("{'pk': '70000', 'f': [0.0, 0.0]}")), "pk")).isEmpty();
        assertThat(EntityComparison.differences(List.of(json("{'primaryKey': '1', 'fields': {}, 'vectors': "
                + "{'f': [0.0, 0.0]}}")), List.of(json("{'pk': '1', 'f': [0.0, 3.0]}")), "pk"))
                .containsExactly("vector 'f': cosine 0.0000 with the task's model applied to the row now (at least "
                        + EntityComparison.MIN_COSINE + " expected)");
        // Same direction, twice as long: different numeric features.
        assertThat(EntityComparison.differences(List.of(json("{'primaryKey': '2', 'fields': {}, 'vectors': "
                + "{'f': [1.0, 2.0]}}")), List.of(json("{'pk': '2', 'f': [2.0, 4.0]}")), "pk"))
                .containsExactly("vector 'f': length 4.47214 in Milvus, 2.23607 from the task's model applied to "
                        + "the row now");
    }

    @Test
    void eachDifferentFieldVectorAndEntityIsNamed() throws Exception {
        JsonNode expected = json("{'primaryKey': '7', 'fields': {'title': 'new', 'qty': 3, 'active': true},"
                + " 'vectors': {'v': [1.0, 0.0]}}");
        JsonNode held = json("{'pk': '7', 'title': 'old', 'qty': 4, 'active': 'true', 'v': [0.0, 1.0]}");
        List<String> differences = EntityComparison.differences(List.of(expected), List.of(held), "pk");
        assertThat(differences).hasSize(4);
        assertThat(differences.get(0)).contains("field 'title'").contains("\"new\"").contains("\"old\"");
        assertThat(differences.get(1)).contains("field 'qty'");
        assertThat(differences.get(2)).as("a boolean is not its text").contains("field 'active'");
        assertThat(differences.get(3)).contains("vector 'v'").contains("cosine 0.0000");

        JsonNode chunk1 = json("{'primaryKey': '7#1', 'fields': {}, 'vectors': {}}");
        assertThat(EntityComparison.differences(List.of(chunk1), List.of(json("{'pk': '7#0'}")), "pk"))
                .singleElement().asString().contains("[7#1]").contains("[7#0]");
        assertThat(EntityComparison.differences(List.of(expected), List.of(), "pk")).singleElement().asString()
                .startsWith("entities:");
    }

    @Test
    void aNullOnlyEqualsANull() throws Exception {
        assertThat(EntityComparison.sameValue(json("null"), null)).isTrue();
        assertThat(EntityComparison.sameValue(json("''"), json("null"))).isFalse();
        assertThat(EntityComparison.sameValue(json("0"), null)).isFalse();
    }

    @Test
    void aJsonFieldHeldAsTextIsComparedAsTheJsonItHolds() throws Exception {
        JsonNode expected = json("{'primaryKey': '3', 'fields': {'doc': 'text', 'name': 'text'}, 'vectors': {}}");
        JsonNode held = json("{'pk': '3', 'doc': '\\\"text\\\"', 'name': '\\\"text\\\"'}");
        assertThat(EntityComparison.differences(List.of(expected), List.of(held), "pk", java.util.Set.of("doc")))
                .as("the JSON string \"text\" in the JSON field is equal; the quoted text in the VARCHAR is not")
                .singleElement().asString().startsWith("field 'name'");
    }
}
