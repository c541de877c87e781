package org.mumloc;

/** Run in a fresh JVM by {@link NativeLoaderTest}: loads the library and prints where it came from. */
public final class LoaderProbe {
    private LoaderProbe() {
    }

    public static void main(String[] args) {
        try {
            Mumloc.load();
            System.out.println("loaded-from=" + NativeLoader.loadedFrom());
            System.out.println("version=" + Mumloc.version());
        } catch (MumlocException e) {
            System.out.println("status=" + e.getStatus());
            System.out.println("failed=" + e.getMessage().replace('\n', '|'));
            // a second attempt reports the same failure without trying again
            try {
                Mumloc.version();
            } catch (MumlocException again) {
                System.out.println("again=" + (again.getMessage().equals(e.getMessage())));
            }
        }
    }
}
