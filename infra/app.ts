import { App } from "aws-cdk-lib";
import { addSpotcheck } from "./spotcheck-app";

/** Synthesizes `Spotcheck-<stage>` for the stage chosen with `-c stage=dev|prod` (default dev). */
const app = new App();
addSpotcheck(app);
app.synth();
