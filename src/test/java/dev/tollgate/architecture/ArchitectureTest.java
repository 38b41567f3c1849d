package dev.tollgate.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layout rules of STYLE.md §2, checked on the compiled main classes. */
@AnalyzeClasses(packages = "dev.tollgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "dev.tollgate.";

    @ArchTest
    static final ArchRule features_have_no_cycles = slices().matching("dev.tollgate.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule features_use_only_the_top_package_of_other_features = noClasses()
            .should(new ArchCondition<JavaClass>("reach into another feature's sub-packages") {
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

    @ArchTest
    static final ArchRule the_data_plane_never_blocks_on_a_database = noClasses()
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
