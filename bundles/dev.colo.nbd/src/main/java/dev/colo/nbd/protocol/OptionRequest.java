package dev.colo.nbd.protocol;

import java.util.Optional;

/**
 * One option of the handshake: {@code IHAVEOPT}, the 32-bit option and its data. The data array is
 * owned by the record (decoded fresh from the wire) and must not be modified.
 */
public record OptionRequest(int option, byte[] data) {

    public Optional<NbdOption> known() {
        return NbdOption.fromWire(option);
    }

    /**
     * Whether the bytes after this option may be something else than options (requests, a TLS handshake),
     * so nothing after it may be decoded as an option before it was answered.
     */
    public boolean mayEndHandshake() {
        return option == NbdOption.GO.wireValue() || option == NbdOption.EXPORT_NAME.wireValue()
                || option == NbdOption.ABORT.wireValue() || option == NbdOption.STARTTLS.wireValue();
    }

    @Override
    public String toString() {
        return NbdOption.nameOf(option) + "[" + data.length + " bytes]";
    }
}
