package dev.batchwise.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNestedValuesThatParseBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        m.put("int", 42);
        m.put("long", 1L << 40);
        m.put("double", 0.1234567891);
        m.put("tiny", 1.5e-9);
        m.put("nan", Double.NaN);
        m.put("none", null);
        m.put("flag", true);
        m.put("list", List.of(1, "two", List.of()));
        m.put("empty", Map.of());
        Object back = MiniJson.parse(Json.write(m));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("text", m.get("text"));
        expected.put("int", 42.0);
        expected.put("long", (double) (1L << 40));
        expected.put("double", 0.1234568);
        expected.put("tiny", 1.5e-9);
        expected.put("nan", null);
        expected.put("none", null);
        expected.put("flag", true);
        expected.put("list", new ArrayList<>(Arrays.asList(1.0, "two", List.of())));
        expected.put("empty", Map.of());
        assertEquals(expected, back);
    }

    @Test
    void keepsMapOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", 2);
        assertEquals("{\n  \"z\": 1,\n  \"a\": 2\n}", Json.write(m));
    }

    @Test
    void rejectsUnknownTypes() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
