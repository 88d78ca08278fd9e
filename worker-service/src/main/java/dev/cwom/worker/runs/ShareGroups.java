package dev.cwom.worker.runs;

import dev.cwom.worker.PickupSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The share group's configs (KIP-932 group configs, set through the admin API), which every share-group worker sets
 * before it joins, so that no operator step is needed and all agree:
 *
 * <ul>
 *   <li>{@code share.auto.offset.reset=earliest}: a new share group starts at the oldest work order (the default,
 *       latest, would skip every work order written before the first worker came);</li>
 *   <li>{@code share.isolation.level=read_committed}: ingest's relay writes work orders in transactions;</li>
 *   <li>{@code share.record.lock.duration.ms} and {@code share.delivery.count.limit} from
 *       {@code cwom.worker.pickup.share.*}.</li>
 * </ul>
 */
final class ShareGroups {

    private ShareGroups() {
    }

    /** The configs {@code settings} give the share group. */
    static Map<String, String> configs(PickupSettings settings) {
        return Map.of("share.auto.offset.reset", "earliest",
                "share.isolation.level", "read_committed",
                "share.record.lock.duration.ms", Long.toString(settings.share().lockDuration().toMillis()),
                "share.delivery.count.limit", Integer.toString(settings.share().deliveryCountLimit()));
    }

    /** Sets the share group's configs; the broker validates them (e.g. the lock within its min and max). */
    static void configure(Admin admin, PickupSettings settings) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, settings.shareGroupId());
        List<AlterConfigOp> ops = configs(settings).entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not configure share group " + settings.shareGroupId() + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not configure share group " + settings.shareGroupId()
                    + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring share group " + settings.shareGroupId(), e);
        }
    }
}
