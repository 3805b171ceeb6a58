package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads features by name from the distribution's {@code features/} folder. */
final class Features {

    private Features() {
    }

    /**
     * @param home the distribution folder
     * @param names feature names, e.g. {@code base}, in installation order
     * @return the features
     * @throws IOException if a feature file is missing or invalid
     */
    static List<Feature> load(Path home, List<String> names) throws IOException {
        List<Feature> out = new ArrayList<>();
        for (String name : names) {
            Path file = home.resolve("features").resolve(name + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IOException("feature '" + name + "' is missing: " + file);
            }
            out.add(Feature.read(file));
        }
        return out;
    }
}
