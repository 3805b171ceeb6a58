package io.pvemcp.runtime;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * Reads the options of a server command straight into its fields, for the start of {@code serve} and {@code stdio}:
 * picocli's model of a command costs a tenth of a second at every start (its classes are loaded and checked, every
 * option read by reflection), which a desktop client pays each time it launches the server. Only plain options are
 * read here (flags, and options with one value of type String, Integer or Path, as {@code --x v} or {@code --x=v});
 * anything else, help and every mistake included, goes to picocli, which reads, explains and refuses as always.
 */
final class DirectOptions {

    private static final String NO_DEFAULT = "__no_default_value__";

    private DirectOptions() {
    }

    /**
     * @param command a command object with {@link Option} fields
     * @param args the arguments after the command's name
     * @return {@code true} if every argument was read into the command; {@code false} to let picocli read them
     */
    static boolean fill(Object command, String[] args) {
        Map<String, Field> options = new HashMap<>();
        for (Field f : command.getClass().getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o == null) {
                continue;
            }
            if (!plain(o, f.getType())) {
                return false;
            }
            for (String name : o.names()) {
                options.put(name, f);
            }
        }
        Map<Field, Object> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            Field f = options.get(name);
            if (f == null || values.containsKey(f)) {
                return false;
            }
            if (f.getType() == boolean.class) {
                if (eq > 0) {
                    return false;
                }
                values.put(f, Boolean.TRUE);
                continue;
            }
            String text;
            if (eq > 0) {
                text = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                text = args[++i];
            } else {
                return false;
            }
            Object value = convert(text, f.getType());
            if (value == null) {
                return false;
            }
            values.put(f, value);
        }
        try {
            for (var e : values.entrySet()) {
                e.getKey().setAccessible(true);
                e.getKey().set(command, e.getValue());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
        return true;
    }

    private static boolean plain(Option o, Class<?> type) {
        return (type == boolean.class || type == String.class || type == Integer.class || type == Path.class)
                && o.arity().isEmpty() && NO_DEFAULT.equals(o.defaultValue()) && o.split().isEmpty() && !o.negatable()
                && !o.required() && !o.help() && !o.usageHelp() && !o.versionHelp();
    }

    private static Object convert(String text, Class<?> type) {
        if (type == String.class) {
            return text;
        }
        if (type == Path.class) {
            try {
                return text.isEmpty() ? null : Path.of(text);
            } catch (java.nio.file.InvalidPathException e) {
                return null;
            }
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
