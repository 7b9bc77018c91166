package dev.colo.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.management.AttributeChangeNotification;
import javax.management.Notification;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.junit.jupiter.api.Test;

class EventLineTest {
    private static final long AT = 1_795_000_000_000L;

    @Test
    void anEventShowsItsPropertiesSortedAndQuotedWhereNeeded() throws Exception {
        CompositeType type = new CompositeType("dev.colo.checkpoint.completed", "event",
                new String[] {"reasons", "epoch", "detail"}, new String[] {"r", "e", "d"},
                new OpenType<?>[] {SimpleType.STRING, SimpleType.LONG, SimpleType.STRING});
        Notification notification = new Notification("dev.colo.checkpoint.completed", "dev.colo:type=Checkpoint", 7,
                AT, "checkpoint completed");
        notification.setUserData(new CompositeDataSupport(type, new String[] {"reasons", "epoch", "detail"},
                new Object[] {"OPERATOR", 12L, "two words"}));

        assertEquals("2026-11-18T11:06:40Z dev.colo.checkpoint.completed dev.colo:type=Checkpoint detail=\"two words\" "
                + "epoch=12 reasons=OPERATOR", EventLine.of(notification));
    }

    @Test
    void anAttributeChangeShowsOldAndNewValue() {
        Notification change = new AttributeChangeNotification("dev.colo:type=Failover", 3, AT, "State changed",
                "State", "java.lang.String", "REQUESTED", "ACTIVE");

        assertEquals("2026-11-18T11:06:40Z jmx.attribute.change dev.colo:type=Failover State REQUESTED -> ACTIVE",
                EventLine.of(change));
    }

    @Test
    void aNotificationWithoutUserDataShowsItsMessage() {
        assertEquals("2026-11-18T11:06:40Z x.y src hello", EventLine.of(new Notification("x.y", "src", 1, AT, "hello")));
    }
}
