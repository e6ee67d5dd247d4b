import "./styles.css";
import { createApp } from "./app";
import { tauriBackend } from "./backend";

const root = document.getElementById("app");
if (root) createApp(root, tauriBackend);
