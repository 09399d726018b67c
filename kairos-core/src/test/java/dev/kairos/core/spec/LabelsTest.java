package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void keysFollowKubernetesLabelSyntax() {
    assertThat(Labels.checkKey("zone")).isNull();
    assertThat(Labels.checkKey("Zone_1.a-b")).isNull();
    assertThat(Labels.checkKey("kairos.dev/gpu")).isNull();
    assertThat(Labels.checkKey("a".repeat(63))).isNull();
    assertThat(Labels.checkKey("a".repeat(64))).isNotNull();
    assertThat(Labels.checkKey("")).isNotNull();
    assertThat(Labels.checkKey("-zone")).isNotNull();
    assertThat(Labels.checkKey("zone-")).isNotNull();
    assertThat(Labels.checkKey("Kairos.dev/gpu")).as("upper-case prefix").isNotNull();
    assertThat(Labels.checkKey("kairos.dev/")).as("empty name").isNotNull();
    assertThat(Labels.checkKey("a/b/c")).isNotNull();
    assertThat(Labels.checkKey("zo ne")).isNotNull();
  }

  @Test
  void valuesMayBeEmptyOrANameOfUpTo63Characters() {
    assertThat(Labels.checkValue("")).isNull();
    assertThat(Labels.checkValue("eu-1a")).isNull();
    assertThat(Labels.checkValue("A.b_c")).isNull();
    assertThat(Labels.checkValue("x".repeat(64))).isNotNull();
    assertThat(Labels.checkValue("a/b")).isNotNull();
    assertThat(Labels.checkValue("_a")).isNotNull();
  }

  @Test
  void poolAndClusterNamesAreDnsLabels() {
    assertThat(Names.checkDnsLabel("east-1")).isNull();
    assertThat(Names.checkDnsLabel("East")).contains("DNS label");
    assertThat(Names.checkDnsLabel("")).isNotNull();
  }
}
