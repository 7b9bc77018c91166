package dev.colo.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import dev.colo.api.event.ColoEvent;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.ConfigurationRejected;
import dev.colo.api.event.PeerHealthChanged;
import dev.colo.api.event.PeerRefused;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.itests.support.Intruders;
import dev.colo.itests.support.Keys;
import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.Trees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.tinybundles.InnerClassStrategy;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The appliance as shipped, in a pair with a real node. The driver starts a local pair with
 * {@code bin/colo pair up}, stops its primary colo-a, and boots our distribution in the Pax Exam Karaf
 * container with colo-a's pair configuration, so that the container <em>is</em> colo-a and pairs with the
 * still running colo-b process. The steps run in order on the one container.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafApplianceIT {
    private static final String KARAF_VERSION = "4.4.10";
    private static final String PEER_PID = "colo.itest.peer.pid";
    private static final String PAIR_DIR = "colo.itest.pair.dir";
    private static final String UNTRUSTED_KEYSTORE = "colo.itest.untrusted.keystore";
    private static final String UNTRUSTED_PASSWORD = "throwaway";
    private static final long CONNECT_TIMEOUT_MS = 60_000;
    private static final long SHORT_TIMEOUT_MS = 15_000;
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Driver JVM only: set by {@link #config()}; stay null inside the container. {@code LocalPair::down} as a
     * Runnable: the container has no LocalPair, and a field of that type would fail the probe's reflection.
     */
    private static Runnable driverPairDown;
    private static Option[] driverOptions;
    private static Throwable driverFailure;

    @Inject
    private BundleContext bundleContext;
    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private ConfigurationAdmin configurationAdmin;

    private final List<Received> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<EventHandler> eventHandler;

    // ------------------------------------------------------------------------------------------ driver side

    @Configuration
    public static synchronized Option[] config() throws Exception {
        // Pax Exam may ask more than once (also after a failure): the pair is started once per JVM
        if (driverFailure != null) {
            throw new IllegalStateException("the local pair could not be set up (see above)", driverFailure);
        }
        if (driverOptions == null) {
            try {
                driverOptions = setUpPairAndContainer();
            } catch (Exception | Error e) {
                driverFailure = e;
                throw e;
            }
        }
        return driverOptions;
    }

    private static Option[] setUpPairAndContainer() throws Exception {
        Path build = Path.of(System.getProperty("colo.itest.build.dir", "target")).toAbsolutePath();
        Path archive = Path.of(System.getProperty("colo.itest.dist.archive"));
        Path installation = Path.of(System.getProperty("colo.distribution.home")).toAbsolutePath();
        Trees.delete(build.resolve("exam"));

        Path untrusted = Keys.untrustedKeyStore(build.resolve("itest-untrusted"), "colo-b", UNTRUSTED_PASSWORD);
        LocalPair pair = LocalPair.up(installation, build.resolve("itest-pair"));
        driverPairDown = pair::down;
        Runtime.getRuntime().addShutdownHook(new Thread(pair::down, "colo-pair-down"));

        // The container takes colo-a's place: same configuration (ports, TLS files by absolute path).
        LocalPair.Node coloA = pair.node("colo-a");
        LocalPair.Node coloB = pair.node("colo-b");
        // colo-a is away while the container starts: colo-b must not take over meanwhile
        LocalPair.manualFailover(coloB);
        LocalPair.stop(coloA);
        System.out.printf("[driver] the container becomes colo-a (peer link port %d); peer colo-b pid %d, port %d%n",
                coloA.peerLinkPort(), coloB.pid(), coloB.peerLinkPort());

        String m2 = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        List<Option> options = new ArrayList<>();
        options.add(karafDistributionConfiguration()
                .frameworkUrl(archive.toUri().toString())
                .karafVersion(KARAF_VERSION)
                .name("COLO appliance")
                .unpackDirectory(build.resolve("exam").toFile())
                .useDeployFolder(false));
        options.add(keepRuntimeFolder());
        options.add(configureConsole().ignoreLocalConsole().ignoreRemoteShell());
        options.add(logLevel(LogLevel.INFO));
        options.add(vmOption("-Xmx256m"));
        options.addAll(karafModuleOptions());
        // free ports for what the distribution would open on fixed ones
        options.add(editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()));
        // our bundles come from the distribution's system/; Pax Exam's own from the local repository, offline
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true"));
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                        + Path.of(m2).toUri() + "@id=maven.local@snapshots"));
        options.add(replaceConfigurationFile("etc/dev.colo.pair.cfg", coloA.pairCfg().toFile()));
        // colo-a's scratch NBD export, protected disk, guest and service too, so that the container is all of colo-a
        for (String cfg : List.of(SCRATCH_EXPORT_CFG, DISK_CFG, GUEST_CFG, SERVICE_CFG)) {
            options.add(replaceConfigurationFile("etc/" + cfg, coloA.home().resolve("etc").resolve(cfg).toFile()));
        }
        options.add(intrudersBundle());
        options.add(systemProperty("pax.exam.logging").value("none"));
        options.add(systemProperty(PEER_PID).value(Long.toString(coloB.pid())));
        options.add(systemProperty(PAIR_DIR).value(pair.dir().toString()));
        options.add(systemProperty(UNTRUSTED_KEYSTORE).value(untrusted.toString()));
        return options.toArray(new Option[0]);
    }

    private static final String SCRATCH_EXPORT_CFG = "dev.colo.nbd.export-scratch.cfg";
    private static final String DISK_CFG = "dev.colo.replication.disk-disk0.cfg";
    private static final String GUEST_CFG = "dev.colo.guest.kv.cfg";
    private static final String SERVICE_CFG = "dev.colo.proxy.service-kv.cfg";

    /** Runs in the driver (and, harmlessly, in the container, where there is no pair to stop). */
    @AfterClass
    public static void stopPair() {
        if (driverPairDown != null) {
            driverPairDown.run();
        }
    }

    /**
     * What {@code bin/karaf} passes to a Java 9+ VM and Pax Exam's Karaf container does not (without them the
     * specs activator fails with NoClassDefFoundError org/apache/karaf/specs/locator/OsgiLocator). Paths are
     * relative to the container's home, the VM's working directory.
     */
    private static List<Option> karafModuleOptions() {
        List<Option> options = new ArrayList<>();
        for (String option : List.of("--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF_VERSION + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF_VERSION + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED")) {
            options.add(vmOption(option));
        }
        return options;
    }

    /**
     * The intruder clients shared with the driver-side tests (JDK only), as a bundle of their own: the probe is
     * made of this module's test classes and reaches the package through its dynamic imports.
     */
    private static Option intrudersBundle() {
        return streamBundle(TinyBundles.bundle()
                .addClass(Intruders.class, InnerClassStrategy.ALL)
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName("dev.colo.itests.support.intruders")
                .setHeader(Constants.BUNDLE_VERSION, "0.0.0")
                .setHeader(Constants.EXPORT_PACKAGE, Intruders.class.getPackageName())
                .setHeader(Constants.IMPORT_PACKAGE, "javax.net,javax.net.ssl")
                .build(TinyBundles.rawBuilder()));
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    // ------------------------------------------------------------------------------------------ container side

    @Before
    public void listenToColoEvents() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, ColoTopics.ALL);
        eventHandler = bundleContext.registerService(EventHandler.class,
                event -> events.add(new Received(System.nanoTime(), ColoEvents.from(event), event)), properties);
    }

    @After
    public void stopListening() {
        if (eventHandler != null) {
            eventHandler.unregister();
        }
    }

    @Test
    public void step1EveryColoComponentIsActive() throws Exception {
        waitFor("every dev.colo component ACTIVE or SATISFIED", CONNECT_TIMEOUT_MS, () -> componentProblems().isEmpty(),
                () -> String.join("\n", componentProblems()));
        System.out.println("[probe] components: " + componentSummary());
    }

    @Test
    public void step2ThePairConnectsAndThePeerIsAlive() throws Exception {
        awaitConnectedAndAlive();
    }

    @Test
    public void step3UntrustedAndPlaintextClientsAreRefused() throws Exception {
        PairSettings settings = awaitRead(PairConfiguration.class, PairConfiguration::settings);
        InetSocketAddress port = new InetSocketAddress("127.0.0.1", settings.listenPort());

        int untrustedLocalPort = refusedTlsClient(port, true);
        PeerRefused untrusted = awaitEvent(PeerRefused.class, r -> r.remote().endsWith(":" + untrustedLocalPort),
                "PeerRefused for the TLS client with an untrusted certificate from port " + untrustedLocalPort);
        System.out.println("[probe] TLS client with an untrusted certificate refused: " + untrusted.errorCode() + " "
                + untrusted.message());

        int anonymousLocalPort = refusedTlsClient(port, false);
        PeerRefused anonymous = awaitEvent(PeerRefused.class, r -> r.remote().endsWith(":" + anonymousLocalPort),
                "PeerRefused for the TLS client without a certificate from port " + anonymousLocalPort);
        System.out.println("[probe] TLS client without a certificate refused: " + anonymous.errorCode() + " "
                + anonymous.message());

        int plaintextLocalPort = refusedPlaintextClient(port);
        PeerRefused plaintext = awaitEvent(PeerRefused.class, r -> r.remote().endsWith(":" + plaintextLocalPort),
                "PeerRefused for the plaintext client from port " + plaintextLocalPort);
        System.out.println("[probe] plaintext client refused: " + plaintext.errorCode() + " " + plaintext.message());

        // the real peer is not disturbed by the intruders
        awaitConnectedAndAlive();
    }

    @Test
    public void step4BadValueRejectsTheConfigurationAndTheGoodOneRestoresThePair() throws Exception {
        awaitConnectedAndAlive();
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(PairConfiguration.PID, null);
        Dictionary<String, Object> good = copy(configuration.getProperties());
        Dictionary<String, Object> bad = copy(good);
        bad.put("peer.port", "eighty");
        // every expectation is checked (and the good configuration restored) before the step fails
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        configuration.update(bad);
        try {
            ConfigurationRejected rejected = awaitEvent(ConfigurationRejected.class,
                    r -> PairConfiguration.PID.equals(r.pid()), "ConfigurationRejected for " + PairConfiguration.PID);
            System.out.printf("[probe] rejected after %d ms: %s%n", millisSince(start), rejected);
            assertEquals("key named by the rejection", "peer.port", rejected.key());
            assertEquals("value named by the rejection", "eighty", rejected.value());
            check(failures, "no PairConfiguration service while the configuration is invalid",
                    () -> bundleContext.getServiceReference(PairConfiguration.class) == null,
                    () -> "still registered: " + bundleContext.getServiceReference(PairConfiguration.class)
                            + " (component states: " + componentSummary() + ")");
            check(failures, "no component that needs the pair configuration is active",
                    () -> activeComponentsNeeding(PairConfiguration.class.getName()).isEmpty(),
                    () -> "active: " + activeComponentsNeeding(PairConfiguration.class.getName()));
            check(failures, "no PeerLink and no HeartbeatMonitor service without a pair configuration",
                    () -> bundleContext.getServiceReference(PeerLink.class) == null
                            && bundleContext.getServiceReference(HeartbeatMonitor.class) == null,
                    () -> "PeerLink " + bundleContext.getServiceReference(PeerLink.class) + ", HeartbeatMonitor "
                            + bundleContext.getServiceReference(HeartbeatMonitor.class));
            System.out.println("[probe] with peer.port=eighty: " + componentSummary() + "; ConfigurationRejected events: "
                    + events.stream().filter(r -> r.event().orElse(null) instanceof ConfigurationRejected).count());
        } finally {
            configuration.update(good);
        }
        waitFor("every dev.colo component ACTIVE or SATISFIED again", CONNECT_TIMEOUT_MS,
                () -> componentProblems().isEmpty(), () -> String.join("\n", componentProblems()));
        long restored = System.nanoTime();
        awaitConnectedAndAlive();
        System.out.printf("[probe] good configuration restored: pair reconnected %d ms after its components were active%n",
                millisSince(restored));
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    @Test
    public void step5KilledPeerIsDeclaredDeadWithinTheHeartbeatTimeout() throws Exception {
        awaitConnectedAndAlive();
        long timeoutMs = awaitRead(PairConfiguration.class, c -> c.settings().heartbeatTimeoutMs());
        long limitMs = timeoutMs * 12 / 10;
        long pid = Long.parseLong(System.getProperty(PEER_PID));
        ProcessHandle peer = ProcessHandle.of(pid)
                .orElseThrow(() -> new AssertionError("peer colo-b (pid " + pid + ") is not running"));
        assertTrue("pid " + pid + " should be colo-b's Karaf: " + peer.info().commandLine().orElse("?"),
                peer.info().commandLine().map(c -> c.contains(System.getProperty(PAIR_DIR))).orElse(true));

        events.clear();
        long killed = System.nanoTime();
        assertTrue("kill -9 " + pid, peer.destroyForcibly());
        Received dead = awaitReceived(r -> r.event().orElse(null) instanceof PeerHealthChanged h
                && h.current() == PeerHealth.DEAD, "PeerHealthChanged to DEAD");
        long detectedMs = (dead.nanos() - killed) / 1_000_000;
        PeerHealthChanged change = (PeerHealthChanged) dead.event().orElseThrow();
        System.out.printf("[probe] DEAD-detection: PeerHealthChanged %s -> DEAD received %d ms after kill -9 of colo-b "
                        + "(limit heartbeat.timeout.ms x 1.2 = %d ms; silence reported %d ms)%n",
                change.previous(), detectedMs, limitMs, change.silenceMillis());
        assertEquals(PeerHealth.DEAD, awaitRead(HeartbeatMonitor.class, HeartbeatMonitor::health));
        assertTrue("DEAD after " + detectedMs + " ms, limit " + limitMs + " ms", detectedMs <= limitMs);
        peer.onExit().get(SHORT_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------------------------------ intruders

    /**
     * A TLS 1.3 client that trusts any server; with {@code presentCertificate} it presents a self-signed
     * certificate (CN=colo-b) even though the server asks for one of its own CA, otherwise none at all.
     * Expected: no application data, and the connection ends.
     */
    private int refusedTlsClient(InetSocketAddress port, boolean presentCertificate) throws Exception {
        SSLContext context = presentCertificate
                ? Intruders.tlsContext(Path.of(System.getProperty(UNTRUSTED_KEYSTORE)), UNTRUSTED_PASSWORD)
                : Intruders.tlsContext(null, null);
        String client = presentCertificate ? "TLS client with an untrusted certificate" : "TLS client without a certificate";
        Intruders.Refusal refusal = Intruders.tlsClient(context, port, REFUSAL_TIMEOUT, client);
        System.out.println("[probe] " + client + " from port " + refusal.localPort() + ": " + refusal.outcome());
        return refusal.localPort();
    }

    /** A client speaking plain text: at most a TLS alert comes back, and the connection ends. */
    private int refusedPlaintextClient(InetSocketAddress port) throws Exception {
        Intruders.Refusal refusal = Intruders.plaintextClient(port, REFUSAL_TIMEOUT, "plaintext client");
        System.out.println("[probe] plaintext client from port " + refusal.localPort() + ": " + refusal.outcome());
        return refusal.localPort();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private record Received(long nanos, Optional<ColoEvent> event, Event raw) {
    }

    private void awaitConnectedAndAlive() throws Exception {
        long start = System.nanoTime();
        waitFor("PeerLink CONNECTED and peer ALIVE", CONNECT_TIMEOUT_MS,
                () -> read(PeerLink.class, PeerLink::state).orElse(null) == LinkState.CONNECTED
                        && read(HeartbeatMonitor.class, HeartbeatMonitor::health).orElse(null) == PeerHealth.ALIVE,
                () -> "link " + read(PeerLink.class, l -> l.state() + " " + l.stats()).orElse("absent")
                        + ", health " + read(HeartbeatMonitor.class, m -> m.health() + " " + m.stats()).orElse("absent")
                        + "\n" + String.join("\n", componentProblems()));
        System.out.printf("[probe] pair CONNECTED and peer ALIVE (waited %d ms)%n", millisSince(start));
    }

    /** Problems of the components of our bundles: not enabled, no configuration, or not ACTIVE/SATISFIED. */
    private List<String> componentProblems() {
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (Bundle bundle : coloBundles()) {
            if (bundle.getState() != Bundle.ACTIVE) {
                problems.add(bundle.getSymbolicName() + ": bundle state " + bundle.getState());
            }
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                components++;
                String name = bundle.getSymbolicName() + " " + description.name;
                if (!scr.isComponentEnabled(description)) {
                    problems.add(name + ": disabled");
                    continue;
                }
                Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
                if (configurations.isEmpty()) {
                    problems.add(name + ": no component configuration (policy " + description.configurationPolicy
                            + ", pid " + String.join(",", description.configurationPid) + ")");
                }
                for (ComponentConfigurationDTO configuration : configurations) {
                    if (configuration.state != ComponentConfigurationDTO.ACTIVE
                            && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                        problems.add(name + ": " + stateName(configuration.state) + unsatisfied(configuration)
                                + (configuration.failure == null ? "" : " failure: " + configuration.failure));
                    }
                }
            }
        }
        if (components == 0) {
            problems.add("no components in bundles dev.colo.*");
        }
        return problems;
    }

    private List<String> activeComponentsNeeding(String serviceInterface) {
        List<String> active = new ArrayList<>();
        for (Bundle bundle : coloBundles()) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                boolean needs = java.util.Arrays.stream(description.references)
                        .anyMatch(r -> r.interfaceName.equals(serviceInterface) && r.cardinality.startsWith("1"));
                boolean provides = java.util.Arrays.asList(description.serviceInterfaces).contains(serviceInterface);
                if (!needs && !provides) {
                    continue;
                }
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state == ComponentConfigurationDTO.ACTIVE) {
                        active.add(description.name);
                    }
                }
            }
        }
        return active;
    }

    private String componentSummary() {
        List<String> summary = new ArrayList<>();
        for (Bundle bundle : coloBundles()) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                String states = scr.getComponentConfigurationDTOs(description).stream()
                        .map(c -> stateName(c.state)).collect(Collectors.joining(","));
                summary.add(description.name.substring(description.name.lastIndexOf('.') + 1) + "="
                        + (states.isEmpty() ? "none" : states));
            }
        }
        return String.join(" ", summary);
    }

    private List<Bundle> coloBundles() {
        return java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("dev.colo"))
                .toList();
    }

    private static String unsatisfied(ComponentConfigurationDTO configuration) {
        if (configuration.unsatisfiedReferences == null || configuration.unsatisfiedReferences.length == 0) {
            return "";
        }
        List<String> references = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
            references.add(reference.name + " (" + reference.target + ")");
        }
        return " unsatisfied references: " + references;
    }

    private static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case 16 -> "FAILED_ACTIVATION"; // DS 1.4+
            default -> "state " + state;
        };
    }

    /** Applies {@code read} to the service while holding it; empty when the service is not registered. */
    private <T, R> Optional<R> read(Class<T> type, java.util.function.Function<T, R> read) {
        ServiceReference<T> reference = bundleContext.getServiceReference(type);
        T service = reference == null ? null : bundleContext.getService(reference);
        if (service == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(read.apply(service));
        } finally {
            bundleContext.ungetService(reference);
        }
    }

    private <T, R> R awaitRead(Class<T> type, java.util.function.Function<T, R> read) throws Exception {
        waitFor(type.getSimpleName() + " service", SHORT_TIMEOUT_MS, () -> read(type, read).isPresent(),
                () -> String.join("\n", componentProblems()));
        return read(type, read).orElseThrow();
    }

    private <E extends ColoEvent> E awaitEvent(Class<E> type, Predicate<E> match, String what) throws Exception {
        Received received = awaitReceived(r -> type.isInstance(r.event().orElse(null))
                && match.test(type.cast(r.event().orElseThrow())), what);
        return type.cast(received.event().orElseThrow());
    }

    private Received awaitReceived(Predicate<Received> match, String what) throws Exception {
        waitFor(what, SHORT_TIMEOUT_MS, () -> events.stream().anyMatch(match),
                () -> "events received: " + events.stream().map(r -> r.event().map(Object::toString)
                        .orElse(r.raw().getTopic())).collect(Collectors.joining("\n  ", "\n  ", "")));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private interface Diagnosis {
        String text() throws Exception;
    }

    /** Like {@link #waitFor} with a short timeout, but records a failure instead of throwing it. */
    private static void check(List<String> failures, String what, Check check, Diagnosis diagnosis) throws Exception {
        try {
            waitFor(what, 5_000, check, diagnosis);
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
    }

    /** Polls every 20 ms until the check holds; on timeout fails with the diagnosis of the last state. */
    private static void waitFor(String what, long timeoutMs, Check check, Diagnosis diagnosis) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            if (check.ok()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeoutMs + " ms waiting for: " + what + "\n" + diagnosis.text());
            }
            Thread.sleep(20);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> source) {
        assertNotNull("configuration " + PairConfiguration.PID + " has properties", source);
        Dictionary<String, Object> copy = new Hashtable<>();
        for (Enumeration<String> keys = source.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            copy.put(key, source.get(key));
        }
        return copy;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
