package io.driftwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Accessibility checks on the page a {@link Browser} shows: Deque's axe-core rules for WCAG 2.0/2.1 levels A and AA
 * (labels, names, roles, contrast, ...), and keyboard moves (Tab to an element, focus drawn visibly).
 */
public final class Accessibility {

    /** The axe-core tags of WCAG 2.0 and 2.1, levels A and AA. */
    public static final List<String> WCAG_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private static final int MAX_TABS = 150;

    private Accessibility() {}

    /** Runs axe-core on the whole page; fails listing each violation's rule, help, and the elements it found. */
    public static void assertNoViolations(Browser browser, String view) {
        Results results = new AxeBuilder().withTags(WCAG_A_AA).analyze(browser.driver);
        assertThat(results.isErrored())
                .as("axe-core ran on %s: %s", view, results.getErrorMessage())
                .isFalse();
        assertThat(results.getViolations())
                .as("WCAG 2 A/AA violations on %s:%n%s", view, describe(results.getViolations()))
                .isEmpty();
    }

    private static String describe(List<Rule> violations) {
        return violations.stream()
                .map(r -> "- " + r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + "\n"
                        + r.getNodes().stream().map(Accessibility::describe).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
    }

    private static String describe(CheckedNode node) {
        return "    " + node.getTarget() + ": "
                + String.valueOf(node.getFailureSummary()).replace("\n", " ");
    }

    /**
     * Presses Tab (or Shift+Tab) until the focused element matches {@code css}, and returns it; fails after
     * {@value #MAX_TABS} presses.
     */
    public static WebElement tabTo(Browser browser, String css, boolean backwards) {
        for (int i = 0; i < MAX_TABS; i++) {
            if (Boolean.TRUE.equals(browser.js("return document.activeElement.matches(arguments[0])", css))) {
                return browser.driver.switchTo().activeElement();
            }
            Actions keys = new Actions(browser.driver);
            (backwards ? keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT) : keys.sendKeys(Keys.TAB))
                    .perform();
        }
        throw new AssertionError("no element matching " + css + " was reached in " + MAX_TABS + " Tab presses"
                + " (focus is on " + browser.js("return document.activeElement.outerHTML.slice(0, 200)") + ")");
    }

    /** Presses a key on the focused element, as a keyboard user would. */
    public static void press(Browser browser, CharSequence key) {
        new Actions(browser.driver).sendKeys(key).perform();
    }

    /** The focused element is drawn with a focus indicator: an outline or a box shadow (computed styles). */
    public static void assertFocusVisible(Browser browser) {
        @SuppressWarnings("unchecked")
        List<Object> style = (List<Object>) browser.js("""
                const e = document.activeElement, s = getComputedStyle(e);
                return [e.outerHTML.slice(0, 200), s.outlineStyle, s.outlineWidth, s.boxShadow];
                """);
        boolean outline = !"none".equals(style.get(1)) && !"0px".equals(style.get(2));
        boolean shadow = !"none".equals(style.get(3));
        assertThat(outline || shadow)
                .as(
                        "a focus indicator on %s (outline %s %s, box-shadow %s)",
                        style.get(0), style.get(1), style.get(2), style.get(3))
                .isTrue();
    }
}
