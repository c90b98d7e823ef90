/*
 * Neo4jLauncher -- starts a real Neo4j 5.26 Community DBMS (embedded API) with
 * the Bolt connector enabled, for machines that have Java but no Docker and no
 * Neo4j distribution. The jars come from Maven Central via ./pom.xml.
 *
 * Run (Java 11+ single-file source launch):
 *
 *   java -Xmx512m -cp '<libdir>/*' Neo4jLauncher.java --home DIR --bolt-port PORT
 *
 * Options:
 *   --home DIR          DBMS home; data goes to DIR/data, logs to DIR/logs (required)
 *   --bolt-port PORT    Bolt port on 127.0.0.1 (required)
 *   --pagecache SIZE    page cache size, e.g. 128m (default 128m)
 *   --tx-memory SIZE    total memory for all running transactions (default 256m)
 *
 * Prints "STAKEGRAPH_NEO4J_READY bolt://127.0.0.1:PORT" on stdout once Bolt
 * is accepting connections, then blocks until the JVM is asked to stop
 * (SIGTERM / SIGINT); a shutdown hook then shuts the DBMS down cleanly so the
 * store is left consistent.
 *
 * SECURITY: authentication is DISABLED (dbms.security.auth_enabled=false). This
 * is only acceptable because Bolt is bound to the loopback address 127.0.0.1
 * and nothing else; this is a local development / test server. Do not change
 * the listen address to a non-loopback one without enabling auth.
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

public class Neo4jLauncher {

    static final String READY_MARKER = "STAKEGRAPH_NEO4J_READY";
    static final String LOOPBACK = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = -1;
        long pageCache = ByteUnit.mebiBytes(128);
        long txMemory = ByteUnit.mebiBytes(256);

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home":
                    home = Path.of(need(args, ++i, a));
                    break;
                case "--bolt-port":
                    port = Integer.parseInt(need(args, ++i, a));
                    break;
                case "--pagecache":
                    pageCache = ByteUnit.parse(need(args, ++i, a));
                    break;
                case "--tx-memory":
                    txMemory = ByteUnit.parse(need(args, ++i, a));
                    break;
                case "-h":
                case "--help":
                    System.out.println("usage: Neo4jLauncher --home DIR --bolt-port PORT"
                            + " [--pagecache 128m] [--tx-memory 256m]");
                    return;
                default:
                    die("unknown argument: " + a);
            }
        }
        if (home == null) die("--home is required");
        if (port <= 0 || port > 65535) die("--bolt-port is required (1-65535)");

        home = home.toAbsolutePath().normalize();
        Files.createDirectories(home);

        final DatabaseManagementService managementService;
        try {
            DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                    // user-facing log (what neo4j.log holds in a server install) -> stdout,
                    // i.e. into the log file the caller redirects us to; debug.log stays in <home>/logs
                    .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                    // --- Bolt on loopback only ---
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(LOOPBACK, port))
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(LOOPBACK))
                    .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(LOOPBACK))
                    .setConfig(BoltConnector.thread_pool_max_size, 64)
                    // --- no auth: safe only because of the loopback binding above ---
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // --- no phoning home ---
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // --- small footprint (2-core / CI machines) ---
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemory)
                    .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
                    // tx logs: do not preallocate 256 MiB per database, rotate small, keep little
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    // query log is noise for a dev server; debug.log stays on in <home>/logs
                    .setConfig(GraphDatabaseSettings.log_queries, GraphDatabaseSettings.LogQueryLevel.OFF);

            // Internal (unsupported) settings: looked up reflectively so that a future
            // Neo4j version that renames/drops them still starts (we just print a note).
            // Netty's default 5 s "quiet period" per event-loop group makes shutdown take ~10 s.
            internal(builder, "org.neo4j.configuration.GraphDatabaseInternalSettings",
                    "netty_server_shutdown_quiet_period", 0);
            internal(builder, "org.neo4j.configuration.GraphDatabaseInternalSettings",
                    "netty_server_shutdown_timeout", Duration.ofSeconds(5));
            // belt and braces next to dbms.usage_report.enabled=false: no usage-report network I/O
            internal(builder, "org.neo4j.configuration.GraphDatabaseInternalSettings",
                    "udc_network_enabled", false);

            managementService = builder.build();
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            System.err.println("stakegraph: failed to start Neo4j: " + t);
            t.printStackTrace();
            System.err.println("stakegraph: root cause: " + root);
            System.exit(1);
            return;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicBoolean shutDown = new AtomicBoolean(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!shutDown.compareAndSet(false, true)) return;
            System.out.println("stakegraph: shutting down Neo4j ...");
            System.out.flush();
            try {
                managementService.shutdown();
                System.out.println("stakegraph: Neo4j stopped");
            } catch (Throwable t) {
                System.err.println("stakegraph: error during shutdown: " + t);
                t.printStackTrace();
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "stakegraph-neo4j-shutdown"));

        // Make sure the default database is really up before announcing readiness.
        try {
            GraphDatabaseService db = managementService.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofMinutes(5).toMillis())) {
                throw new IllegalStateException("database 'neo4j' did not become available");
            }
            db.executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            System.err.println("stakegraph: Neo4j started but database is unusable: " + t);
            t.printStackTrace();
            System.exit(1); // runs the shutdown hook
            return;
        }

        System.out.println(READY_MARKER + " bolt://" + LOOPBACK + ":" + port);
        System.out.flush();

        // Block forever; SIGTERM/SIGINT run the shutdown hook and the JVM exits.
        while (true) {
            try {
                stopped.await();
                return;
            } catch (InterruptedException ignored) {
                // keep waiting
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void internal(DatabaseManagementServiceBuilder builder, String className,
                                 String field, Object value) {
        try {
            Object setting = Class.forName(className).getField(field).get(null);
            builder.setConfig((Setting) setting, value);
        } catch (ReflectiveOperationException | ClassCastException e) {
            System.out.println("stakegraph: note: internal setting " + className + "." + field
                    + " not available in this Neo4j version; skipped");
        }
    }

    private static String need(String[] args, int i, String opt) {
        if (i >= args.length) die(opt + " needs a value");
        return args[i];
    }

    private static void die(String msg) {
        System.err.println("Neo4jLauncher: " + msg);
        System.exit(2);
    }
}
