// Entry: styles, then the app.
import './styles.css';
import { App } from './app.js';

const app = new App(document.getElementById('app'));
app.start();
if (import.meta.env.DEV) window.roundsApp = app;
