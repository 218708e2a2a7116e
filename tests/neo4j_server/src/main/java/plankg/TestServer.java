package plankg;

import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts a Neo4j Community DBMS with Bolt on 127.0.0.1:PORT, authentication on, the neo4j user's
 * password set to PASSWORD. Prints "READY" when Bolt accepts connections; stops on stdin EOF or SIGTERM.
 * Usage: TestServer DATA_DIR PORT PASSWORD
 */
public final class TestServer {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD '" + password.replace("'", "\\'") + "' CHANGE NOT REQUIRED");
        } catch (RuntimeException e) {
            // A restart on the same data: the password is already set.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                e.printStackTrace();
                System.exit(1);
            }
        }
        dbms.database("neo4j").executeTransactionally("RETURN 1");
        System.out.println("READY " + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // keep running until the parent closes stdin
        }
        dbms.shutdown();
    }
}
