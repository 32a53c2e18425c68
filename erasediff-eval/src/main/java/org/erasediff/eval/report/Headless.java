package org.erasediff.eval.report;

/** Switches AWT to headless mode unless the application already set {@code java.awt.headless}. */
final class Headless {

    private Headless() {
    }

    /** Sets {@code java.awt.headless=true} when the property is unset; call before any AWT use. */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
