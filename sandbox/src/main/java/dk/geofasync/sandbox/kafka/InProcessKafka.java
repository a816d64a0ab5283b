package dk.geofasync.sandbox.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (one broker and one controller in one process) inside this JVM, built
 * from Kafka's own test kit. Starts in a few seconds and needs no Docker.
 */
final class InProcessKafka implements KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessKafka.class);

    private final KafkaClusterTestKit cluster;
    /** Read once: the test kit's own answer throws while the broker is down. */
    private final String bootstrap;

    private InProcessKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrap = cluster.bootstrapServers();
    }

    static InProcessKafka start() {
        return start(org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT);
    }

    /**
     * @param clients how clients reach the broker: PLAINTEXT, or SASL_PLAINTEXT with mechanism PLAIN
     *        (the test kit's users, {@link KafkaBroker#SASL_USER}; an authorizer lets only that super user in)
     */
    static InProcessKafka start(org.apache.kafka.common.security.auth.SecurityProtocol clients) {
        return start(clients, 1);
    }

    /**
     * @param brokers 1: one node that is broker and controller; more: that many brokers beside one
     *        controller, Kafka's internal topics with 3 replicas (2 in sync) as in production, so one
     *        broker can be stopped without losing anything
     */
    static InProcessKafka start(org.apache.kafka.common.security.auth.SecurityProtocol clients, int brokers) {
        // Kafka ends the JVM (Exit.exit / Exit.halt) on faults it deems fatal, also while shutting down;
        // a broker inside tests or the demo must never take its host process with it
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
                LOG.warn("in-process Kafka asked to exit ({}): {}; ignored", code, message));
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
                LOG.warn("in-process Kafka asked to halt ({}): {}; ignored", code, message));
        long started = System.nanoTime();
        try {
            String replicas = brokers == 1 ? "1" : "3";
            String inSync = brokers == 1 ? "1" : "2";
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(brokers == 1)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(clients)
                    .setControllerSecurityProtocol(clients) // with SASL, the authorizer lets only the logged-in super user act for the cluster
                    .build())
                    // a single broker can only hold one replica: without these, consumer groups and
                    // transactions wait 60 s for replicas that never come
                    .setConfigProp("offsets.topic.replication.factor", replicas)
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", replicas)
                    .setConfigProp("transaction.state.log.min.isr", inSync)
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "4")
                    .setConfigProp("auto.create.topics.enable", "false");
            if (clients == org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT) {
                // SCRAM beside the test kit's PLAIN: a production cluster's login; its user is made once the broker runs
                builder.setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                        .setConfigProp("listener.name.external.scram-sha-512.sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                        .setConfigProp("super.users", "User:" + KafkaBroker.SASL_USER + ";User:" + KafkaBroker.SCRAM_USER);
            }
            KafkaClusterTestKit cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            if (clients == org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT) {
                addScramUser(cluster.bootstrapServers());
            }
            LOG.info("in-process Kafka broker ready at {} in {} ms", cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return new InProcessKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the in-process Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker: " + e.getMessage(), e);
        }
    }

    /** Makes {@link KafkaBroker#SCRAM_USER} (SCRAM-SHA-512), logged in as the PLAIN super user, and waits until the broker knows it. */
    private static void addScramUser(String bootstrap) throws Exception {
        java.util.Map<String, Object> admin = java.util.Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + KafkaBroker.SASL_USER + "\" password=\"" + KafkaBroker.SASL_PASSWORD + "\";");
        try (org.apache.kafka.clients.admin.Admin client = org.apache.kafka.clients.admin.Admin.create(admin)) {
            client.alterUserScramCredentials(java.util.List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(KafkaBroker.SCRAM_USER,
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096),
                    KafkaBroker.SCRAM_PASSWORD))).all().get();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    // fails (ResourceNotFound) until the broker's metadata has the user
                    client.describeUserScramCredentials(java.util.List.of(KafkaBroker.SCRAM_USER)).description(KafkaBroker.SCRAM_USER).get();
                    return;
                } catch (java.util.concurrent.ExecutionException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker does not know SCRAM user " + KafkaBroker.SCRAM_USER + " after 10 s", notYet);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Kafka's storage formatting prints to stdout; the demo's output is for people, so it is held back. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    /**
     * Stops the broker half of the node (the controller and its metadata quorum stay up, as Kafka's
     * own tests restart a test-kit broker) and starts it again: the test kit binds the same port, and
     * the log directories are kept, so topics, offsets and groups survive. Clients see "connection
     * refused" meanwhile, and every partition has no leader (one replica each).
     */
    @Override
    public synchronized void restart(java.time.Duration down) {
        try {
            for (kafka.server.BrokerServer b : cluster.brokers().values()) {
                b.shutdown();
                b.awaitShutdown();
            }
            LOG.info("in-process Kafka broker stopped for {} ms", down.toMillis());
            Thread.sleep(down.toMillis());
            for (kafka.server.BrokerServer b : cluster.brokers().values()) {
                b.startup();
            }
            cluster.waitForReadyBrokers();
            if (!cluster.bootstrapServers().equals(bootstrap)) {
                throw new IllegalStateException("the broker came back at " + cluster.bootstrapServers() + ", not " + bootstrap);
            }
            LOG.info("in-process Kafka broker started again at {}", bootstrap);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the in-process Kafka broker", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka broker did not restart: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stopBroker(int nodeId) {
        kafka.server.BrokerServer broker = cluster.brokers().get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + nodeId + " in this cluster; brokers: " + cluster.brokers().keySet());
        }
        broker.shutdown();
        broker.awaitShutdown();
        LOG.info("in-process Kafka broker {} stopped", nodeId);
    }

    @Override
    public String origin() {
        return cluster.brokers().size() == 1 ? "in-process KRaft broker" : "in-process KRaft cluster of " + cluster.brokers().size() + " brokers";
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("in-process Kafka broker did not close cleanly: {}", e.toString());
        }
    }
}
