package io.pvemcp.pve.sim.internal.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimGuest;
import io.pvemcp.pve.sim.internal.state.SimPool;
import io.pvemcp.pve.sim.internal.state.SimState;

/**
 * The cluster's backup jobs ({@code /cluster/backup}, as {@code jobs.cfg} holds them) and the guests no enabled job
 * covers ({@code /cluster/backup-info/not-backed-up}). Schedules of the forms {@code HH:MM} and
 * {@code <days> HH:MM} (UTC) get a {@code next-run}; other calendar events are kept as they are.
 */
final class BackupJobHandlers {

    private static final Pattern SIMPLE = Pattern.compile("(?:([a-z,.]+)\\s+)?(\\d{1,2}):(\\d{2})");
    private static final Set<String> CONTROL = Set.of("id", "delete", "digest");

    private BackupJobHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /cluster/backup", c -> {
            Perms.require(c.state(), c.authid(), "/", "Sys.Audit");
            List<Map<String, Object>> out = new ArrayList<>();
            c.state().backupJobs().values().forEach(j -> out.add(entry(c.state(), j)));
            return out;
        });
        h.put("POST /cluster/backup", c -> {
            Perms.require(c.state(), c.authid(), "/", "Sys.Modify");
            String id = c.param("id") != null ? c.param("id") : "backup-" + HexFormat.of().toHexDigits(
                    c.state().clock().seconds() * 31 + c.state().backupJobs().size()).substring(8);
            if (c.state().backupJobs().containsKey(id)) {
                throw PveError.fail("Job '" + id + "' already exists");
            }
            Map<String, String> job = new LinkedHashMap<>();
            job.put("id", id);
            job.put("type", "vzdump");
            apply(job, c);
            selection(job);
            job.putIfAbsent("enabled", "1");
            c.state().backupJobs().put(id, job);
            return null;
        });
        h.put("GET /cluster/backup/{id}", c -> {
            Perms.require(c.state(), c.authid(), "/", "Sys.Audit");
            return entry(c.state(), job(c));
        });
        h.put("PUT /cluster/backup/{id}", c -> {
            Perms.require(c.state(), c.authid(), "/", "Sys.Modify");
            Map<String, String> job = job(c);
            Map<String, String> changed = new LinkedHashMap<>(job);
            for (String key : c.list("delete")) {
                changed.remove(key);
            }
            apply(changed, c);
            selection(changed);
            job.clear();
            job.putAll(changed);
            return null;
        });
        h.put("DELETE /cluster/backup/{id}", c -> {
            Perms.require(c.state(), c.authid(), "/", "Sys.Modify");
            c.state().backupJobs().remove(job(c).get("id"));
            return null;
        });
        h.put("GET /cluster/backup-info/not-backed-up", c -> {
            Perms.require(c.state(), c.authid(), "/", "Sys.Audit");
            Set<Integer> covered = new LinkedHashSet<>();
            for (Map<String, String> j : c.state().backupJobs().values()) {
                if (!"0".equals(j.get("enabled"))) {
                    covered.addAll(guests(c.state(), j));
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (SimGuest g : c.state().guests().values()) {
                if (!covered.contains(g.vmid()) && !g.template()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("vmid", g.vmid());
                    m.put("type", g.type());
                    if (g.name() != null) {
                        m.put("name", g.name());
                    }
                    out.add(m);
                }
            }
            return out;
        });
    }

    private static Map<String, String> job(ApiCall c) {
        Map<String, String> job = c.state().backupJobs().get(c.param("id"));
        if (job == null) {
            throw PveError.fail("Job '" + c.param("id") + "' does not exist");
        }
        return job;
    }

    private static void apply(Map<String, String> job, ApiCall c) {
        c.strings().forEach((k, v) -> {
            if (!CONTROL.contains(k)) {
                job.put(k, v);
            }
        });
        if (job.get("schedule") == null && job.get("starttime") != null) {
            job.put("schedule", (job.get("dow") == null ? "" : job.get("dow") + " ") + job.get("starttime"));
        }
        if (job.get("schedule") == null) {
            throw PveError.param("schedule", "property is missing and it is not optional");
        }
    }

    private static void selection(Map<String, String> job) {
        int ways = ("1".equals(job.get("all")) ? 1 : 0) + (job.get("vmid") != null ? 1 : 0)
                + (job.get("pool") != null ? 1 : 0);
        if (ways == 0) {
            throw PveError.param("vmid", "you need to specify one of 'all', 'vmid' or 'pool'");
        }
        if (ways > 1) {
            throw PveError.fail("only one of 'all', 'vmid' or 'pool' can be set");
        }
        if (job.get("exclude") != null && !"1".equals(job.get("all"))) {
            throw PveError.param("exclude", "only allowed together with 'all'");
        }
    }

    /** @return the VMIDs a job backs up */
    static List<Integer> guests(SimState s, Map<String, String> j) {
        List<Integer> out = new ArrayList<>();
        if ("1".equals(j.get("all"))) {
            Set<String> excluded = Set.of(j.getOrDefault("exclude", "").split("[,;\\s]+"));
            for (int vmid : s.guests().keySet()) {
                if (!excluded.contains(Integer.toString(vmid))) {
                    out.add(vmid);
                }
            }
        } else if (j.get("pool") != null) {
            SimPool pool = s.pools().get(j.get("pool"));
            if (pool != null) {
                out.addAll(pool.vmids());
            }
        } else {
            for (String part : j.getOrDefault("vmid", "").split("[,;\\s]+")) {
                if (!part.isEmpty()) {
                    out.add(Integer.parseInt(part));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> entry(SimState s, Map<String, String> j) {
        Map<String, Object> m = new LinkedHashMap<>();
        j.forEach((k, v) -> m.put(k, switch (k) {
            case "enabled", "all", "protected", "remove", "quiet", "stop", "repeat-missed", "stdexcludes" ->
                    Integer.valueOf(v);
            default -> v;
        }));
        m.putIfAbsent("enabled", 1);
        Long next = next(j.get("schedule"), s.clock().seconds());
        if (next != null && !"0".equals(j.get("enabled"))) {
            m.put("next-run", next);
        }
        return m;
    }

    /** @return the next time a simple schedule fires after {@code now}, or {@code null} */
    static Long next(String schedule, long now) {
        if (schedule == null) {
            return null;
        }
        Matcher m = SIMPLE.matcher(schedule.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        Set<DayOfWeek> days = new LinkedHashSet<>();
        if (m.group(1) == null) {
            days.addAll(List.of(DayOfWeek.values()));
        } else {
            for (String d : m.group(1).split(",")) {
                String[] range = d.split("\\.\\.");
                int from = day(range[0]);
                int to = range.length > 1 ? day(range[1]) : from;
                for (int i = from; ; i = i % 7 + 1) {
                    days.add(DayOfWeek.of(i));
                    if (i == to) {
                        break;
                    }
                }
            }
        }
        ZonedDateTime at = Instant.ofEpochSecond(now).atZone(ZoneOffset.UTC).withHour(Integer.parseInt(m.group(2)))
                .withMinute(Integer.parseInt(m.group(3))).withSecond(0).withNano(0);
        for (int i = 0; i < 8; i++) {
            ZonedDateTime candidate = at.plusDays(i);
            if (candidate.toEpochSecond() > now && days.contains(candidate.getDayOfWeek())) {
                return candidate.toEpochSecond();
            }
        }
        return null;
    }

    private static int day(String name) {
        return switch (name.strip()) {
            case "mon" -> 1;
            case "tue" -> 2;
            case "wed" -> 3;
            case "thu" -> 4;
            case "fri" -> 5;
            case "sat" -> 6;
            case "sun" -> 7;
            default -> throw PveError.param("schedule", "unable to parse calendar event - unknown day '" + name + "'");
        };
    }
}
