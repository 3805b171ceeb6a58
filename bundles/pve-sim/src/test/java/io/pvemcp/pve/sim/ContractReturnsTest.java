package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Calls every method the simulator implements and checks its answer against the contract's {@code returns}
 * schema. A newly implemented method must get sample parameters here, or this test fails.
 */
class ContractReturnsTest {

    /** Parameters beyond the path parameters, for methods that need them. */
    static final Map<String, Map<String, String>> SAMPLES = Map.of(
            "POST /access/ticket", Map.of("username", "root@pam", "password", "pw"));

    @Test
    void everyImplementedMethodAnswersAsTheContractSays() throws Exception {
        try (Simulator sim = Simulator.builder().port(0).rootPassword("pw").apiToken("root@pam!t", "s")
                .authFailureDelay(Duration.ZERO).start()) {
            SimClient client = new SimClient(sim);
            List<String> problems = new ArrayList<>();
            assertThat(sim.implementedMethods()).hasSizeGreaterThan(10);
            for (String key : sim.implementedMethods()) {
                String method = key.substring(0, key.indexOf(' '));
                String template = key.substring(key.indexOf(' ') + 1);
                var api = sim.contract().method(method, template);
                assertThat(api).as("%s is in the contract", key).isPresent();
                String path = template.replace("{node}", "pve1").replace("{vmid}", "100");
                assertThat(path).as("sample path for %s", key).doesNotContain("{");
                Map<String, String> params = new LinkedHashMap<>(SAMPLES.getOrDefault(key, Map.of()));
                var answer = client.send(method, path, params, SimClient.token("root@pam!t", "s"));
                if (answer.status() != 200) {
                    problems.add(key + ": HTTP " + answer.status() + " " + answer.body().get("message"));
                    continue;
                }
                for (String p : api.get().checkReturn(answer.data())) {
                    problems.add(key + ": " + p);
                }
            }
            assertThat(problems).isEmpty();
        }
    }
}
