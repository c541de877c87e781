package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PsfSections through the JNI: a rig with the Gaussian model has no measured PSF to show (null), a
 * missing rig file is a MumlocException naming it. (The sections themselves: tests/c/test_psf_sections.c.)
 */
class PsfSectionsTest {
    @Test
    void gaussianRigHasNoSectionsAndMissingRigIsNamed(@TempDir Path dir) throws Exception {
        Path rig = dir.resolve("rig.json");
        Files.write(rig, ("{\"mumloc_rig\": 1, \"width\": 32, \"height\": 32, "
                + "\"optics\": {\"planes\": 1, \"plane_depth_nm\": [800]}, "
                + "\"cameras\": [{\"to_camera\": [1, 0, 0, 0, 1, 0]}]}").getBytes(StandardCharsets.UTF_8));
        assertNull(PsfSections.ofRig(rig.toString()));
        String missing = dir.resolve("none.json").toString();
        MumlocException e = assertThrows(MumlocException.class, () -> PsfSections.ofRig(missing));
        assertTrue(e.getMessage().contains("none.json"), e.getMessage());
    }
}
