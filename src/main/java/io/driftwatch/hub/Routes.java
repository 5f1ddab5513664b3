package io.driftwatch.hub;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The methods a router serves on a path: the {@code Allow} header of a 405. */
final class Routes {

    private Routes() {}

    static List<String> allowed(Router router, String path) {
        TreeSet<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.methods() == null || route.methods().isEmpty() || route.getPath() == null) {
                continue;
            }
            if (template(route.getPath()).matcher(path).matches()) {
                route.methods().stream().map(HttpMethod::name).forEach(methods::add);
            }
        }
        return List.copyOf(methods);
    }

    /** {@code /api/v1/clusters/:cluster/drifts/:id} and {@code /api/v1/*} as patterns. */
    private static Pattern template(String path) {
        List<String> parts = Arrays.stream(path.split("/", -1))
                .map(part -> part.startsWith(":")
                        ? "[^/]+"
                        : part.equals("*") ? ".*" : part.isEmpty() ? "" : Pattern.quote(part))
                .toList();
        return Pattern.compile(String.join("/", parts));
    }
}
