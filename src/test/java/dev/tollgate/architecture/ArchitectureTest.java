package dev.tollgate.architecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout rules of STYLE.md §2, checked on the compiled main classes. Plain JUnit tests rather than
 * {@code @ArchTest} fields: Surefire 3.5.3 silently skips those (TNG/ArchUnit#1442).
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tollgate.";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.tollgate");

    @Test
    void features_have_no_cycles() {
        slices().matching("dev.tollgate.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void features_use_only_the_top_package_of_other_features() {
        FEATURE_BOUNDARIES.check(MAIN);
    }

    @Test
    void the_data_plane_never_blocks_on_a_database() {
        DATA_PLANE.check(MAIN);
    }

    @Test
    void the_rules_see_the_application() {
        assertThat(MAIN.contain("dev.tollgate.accounts.Authentication")).isTrue();
    }

    private static final ArchRule FEATURE_BOUNDARIES = classes()
            .should(new ArchCondition<JavaClass>("use only the top package of other features") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    String from = feature(origin.getPackageName());
                    origin.getDirectDependenciesFromSelf().forEach(dependency -> {
                        String target = dependency.getTargetClass().getPackageName();
                        if (!target.startsWith(ROOT)) {
                            return;
                        }
                        String to = feature(target);
                        boolean subPackage = !target.equals(ROOT + to);
                        if (!to.equals(from) && subPackage) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    });
                }
            });

    private static final ArchRule DATA_PLANE = noClasses()
            .that().resideInAnyPackage("dev.tollgate.gateway..", "dev.tollgate.aiproxy..")
            .should().dependOnClassesThat(blocking())
            .allowEmptyShould(true);

    private static DescribedPredicate<JavaClass> blocking() {
        return DescribedPredicate.describe("Hibernate, JPA, JDBC, JTA or a blocking HTTP client",
                c -> c.getPackageName().startsWith("org.hibernate")
                        || c.getPackageName().startsWith("jakarta.persistence")
                        || c.getPackageName().startsWith("jakarta.transaction")
                        || c.getPackageName().startsWith("java.sql")
                        || c.getPackageName().startsWith("javax.sql")
                        || c.getPackageName().startsWith("io.agroal")
                        || c.getPackageName().startsWith("io.quarkus.narayana")
                        || c.getPackageName().startsWith("io.quarkus.hibernate")
                        || c.getPackageName().startsWith("java.net.http")
                        || c.getName().equals("java.net.HttpURLConnection"));
    }

    private static String feature(String packageName) {
        String rest = packageName.startsWith(ROOT) ? packageName.substring(ROOT.length()) : packageName;
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
