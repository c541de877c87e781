package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Java's choice lists are the library's names: the documented words in value order, and the same
 * words the CLI offers in its help (the CLI builds its lists from the same functions).
 */
class EnumNamesTest {
    @Test
    void listsAreTheDocumentedWordsInValueOrder() {
        assertArrayEquals(new String[] {"physical", "none"}, SimParams.noiseNames());
        assertArrayEquals(new String[] {"uniform", "helix", "filaments"}, SimParams.sampleNames());
        assertArrayEquals(new String[] {"auto", "channels", "slices"}, MovieLayout.axisNames());
        assertArrayEquals(new String[] {"histogram", "gaussian", "ash"}, Rendering.methodNames());
        assertArrayEquals(new String[] {"none", "positions", "drift"}, Localizer.refineNames());
        assertArrayEquals(new String[] {"regression", "voxel"}, Training.archNames());
        assertArrayEquals(new String[] {"viridis", "turbo"}, Rendering.colormapNames());
        assertArrayEquals(new String[] {"rcc", "fiducial"}, Drift.methodNames());
        assertArrayEquals(new String[] {"auto", "fp32", "bf16"}, Localizer.precisionNames());
        assertArrayEquals(new String[] {"hyperstack", "files", "tiles2x2", "tiles1x4", "tiles4x1"},
                Calibration.layoutNames());
        assertArrayEquals(new String[] {"network", "cs"}, Mumloc.enumNames("localize_method"));
        assertEquals(SimParams.NOISE_NONE, java.util.Arrays.asList(SimParams.noiseNames()).indexOf("none"));
        assertEquals(SimParams.SAMPLE_FILAMENTS,
                java.util.Arrays.asList(SimParams.sampleNames()).indexOf("filaments"));
    }

    @Test
    void unknownEnumIsRefused() {
        assertThrows(MumlocException.class, () -> Mumloc.enumNames("colour"));
        assertThrows(MumlocException.class, () -> Mumloc.enumNames(null));
    }

    @Test
    void cliHelpOffersTheSameWords() throws Exception {
        File cli = TestFiles.cli();
        assumeTrue(cli != null, "the mumloc CLI is not built beside the library (mumloc.cli unset)");
        Path dir = TestFiles.scratch("enum-names");
        assertCliChoice(cli, dir, "simulate", "--noise", SimParams.noiseNames());
        assertCliChoice(cli, dir, "simulate", "--sample", SimParams.sampleNames());
        assertCliChoice(cli, dir, "localize", "--planes", MovieLayout.axisNames());
        assertCliChoice(cli, dir, "localize", "--refine", Localizer.refineNames());
        assertCliChoice(cli, dir, "render", "--method", Rendering.methodNames());
        assertCliChoice(cli, dir, "render", "--colormap", Rendering.colormapNames());
        assertCliChoice(cli, dir, "train", "--arch", Training.archNames());
        assertCliChoice(cli, dir, "drift-correct", "--method", Drift.methodNames());
        assertCliChoice(cli, dir, "localize", "--precision", Localizer.precisionNames());
        assertCliChoice(cli, dir, "localize", "--method", Mumloc.enumNames("localize_method"));
        assertCliChoice(cli, dir, "localize", "--layout", Calibration.layoutNames());
        assertCliChoice(cli, dir, "calibrate", "--layout", Calibration.layoutNames());
        assertCliChoice(cli, dir, "calibrate", "--psf", Calibration.psfNames());
    }

    /** The help line "  --option a|b|c  ..." lists exactly the words. */
    private static void assertCliChoice(File cli, Path dir, String command, String option, String[] words)
            throws Exception {
        File out = dir.resolve(command + option + ".txt").toFile();
        TestFiles.run(out, cli.getPath(), command, "--help");
        String expected = option + " " + String.join("|", words);
        boolean found = false;
        for (String line : Files.readAllLines(out.toPath(), StandardCharsets.UTF_8))
            if (line.trim().startsWith(expected + " ") || line.trim().equals(expected)) found = true;
        assertEquals(true, found, command + " --help has no line '" + expected + "'");
    }
}
